-- wrk script: linearizable GET /v1/kv/k<15 digits> of one of 10,000 keys (fill them first with put.lua).
local keys = 10000
local requests = {}

function init(args)
  for i = 0, keys - 1 do
    requests[i] = wrk.format("GET", string.format("/v1/kv/k%015d", i))
  end
end

function request()
  return requests[math.random(0, keys - 1)]
end
