-- wrk script: POST the chapter's test instance to /models/mNN/predict, NN drawn from a Zipf
-- distribution over 30 models (s = 1.1), or always m00 with: wrk ... -- one
local body = '{"feature_0": 1.5, "feature_1": -0.5, "feature_2": 2.0, "feature_3": 0.0, "feature_4": -1.0}'
local cumulative = {}
local one = false

function init(args)
  one = args[1] == "one"
  local sum = 0
  for i = 1, 30 do
    sum = sum + 1 / (i ^ 1.1)
    cumulative[i] = sum
  end
  for i = 1, 30 do
    cumulative[i] = cumulative[i] / sum
  end
  math.randomseed(42 + (wrk.thread and 0 or 0))
end

function request()
  local model = 0
  if not one then
    local u = math.random()
    while model < 29 and cumulative[model + 1] < u do
      model = model + 1
    end
  end
  return wrk.format("POST", string.format("/models/m%02d/predict", model), {["Content-Type"] = "application/json"}, body)
end

local non200 = 0
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end
