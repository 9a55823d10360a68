-- wrk script for bench/membership/grow.sh: writes keys k<15 digits> 0..N-1 once each with one
-- value of B letters and digits (seeded, the same for every key, as raftkv bench's pre-fill does).
--   wrk -t T -c C -d LIMIT --timeout 10s -s prefill.lua URL -- N T B DIR
-- wrk thread i of T writes keys i-1, i-1+T, i-1+2T, ...; once each of its keys has been answered it
-- writes DIR/prefill-thread-<i> ("<written> <failed>") and stops. wrk itself keeps its -d time, so
-- grow.sh sends it SIGINT once every thread's file is there. A key answered with anything but 204
-- counts as failed (grow.sh then refuses the pre-fill); a key whose request wrk lost (a socket
-- error) leaves its thread unfinished, and grow.sh then waits until the leader's state holds every
-- key instead, or gives up at its deadline.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local n, t, body, dir, mine
local next_key, written, failed, finished, primed = 0, 0, 0, false, false
local headers = {["Content-Type"] = "application/octet-stream"}
local health

local function value(size, seed)
  local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
  math.randomseed(seed)
  local out = {}
  for i = 1, size do
    local j = math.random(#alphabet)
    out[i] = string.sub(alphabet, j, j)
  end
  return table.concat(out)
end

function init(args)
  n, t, dir = tonumber(args[1]), tonumber(args[2]), args[4]
  body = value(tonumber(args[3]), 1)
  next_key = id - 1
  mine = 0
  if id - 1 < n then mine = math.floor((n - id) / t) + 1 end
  health = wrk.format("GET", "/health")
end

function request()
  if not primed then
    primed = true -- wrk calls request() once on its first thread to check the script, and sends nothing
    return health
  end
  if next_key < n then
    local k = next_key
    next_key = next_key + t
    return wrk.format("PUT", string.format("/v1/kv/k%015d", k), headers, body)
  end
  return health -- this thread's keys are all sent: wait for their answers with cheap requests
end

function delay()
  if next_key < n then return 0 end
  return 100 -- this thread's keys are all sent: a request every 100 ms per connection until they are answered
end

function response(status, hdrs, b)
  if status == 204 then
    written = written + 1
  elseif status ~= 200 then
    failed = failed + 1
  end
  if not finished and written + failed >= mine then
    finished = true
    local f = assert(io.open(dir .. "/prefill-thread-" .. id, "w"))
    f:write(written, " ", failed, "\n")
    f:close()
    wrk.thread:stop()
  end
end
