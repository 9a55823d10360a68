-- wrk script for bench/membership/grow.sh: the steady load, requests at random over the pre-filled
-- keys k<15 digits> 0..N-1: PUT% puts of one B-byte value (a different one from the pre-fill's),
-- the rest linearizable gets.
--   wrk -t T -c C -d LIMIT --timeout 10s -s load.lua URL -- N B PUT%
-- done() prints one line: requests, non-2xx answers, socket errors, p50/p99/max latency in ms.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local n, body, put_percent
local headers = {["Content-Type"] = "application/octet-stream"}
non2xx = 0

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
  n, put_percent = tonumber(args[1]), tonumber(args[3])
  body = value(tonumber(args[2]), 2)
  math.randomseed(1000 + id)
end

function request()
  local path = string.format("/v1/kv/k%015d", math.random(0, n - 1))
  if math.random(100) <= put_percent then return wrk.format("PUT", path, headers, body) end
  return wrk.format("GET", path)
end

function response(status, hdrs, b)
  if status >= 300 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format("load: %d requests in %.1f s (%.0f/s), %d non-2xx, socket errors connect %d read %d write %d timeout %d; latency p50 %.2f ms, p99 %.2f ms, max %.1f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
