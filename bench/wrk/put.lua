-- wrk script: PUT /v1/kv/k<15 digits> of one of 10,000 keys, a 100-byte body (docs/PERFORMANCE.md).
-- Requests are built once, so wrk spends its time sending, not formatting.
local keys = 10000
local body = string.rep("v", 100)
local requests = {}

function init(args)
  for i = 0, keys - 1 do
    requests[i] = wrk.format("PUT", string.format("/v1/kv/k%015d", i), {["Content-Type"] = "application/octet-stream"}, body)
  end
end

function request()
  return requests[math.random(0, keys - 1)]
end

local non2xx = 0
function response(status, headers, body)
  if status >= 300 then non2xx = non2xx + 1 end
end
