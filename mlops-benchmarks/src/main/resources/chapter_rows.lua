-- wrk script: 1,000 instances (the chapter's test instance, varied) in one request: as a JSON array
-- to /predict, or as {"instances": [...], "batch_size": 1000} to /batch_predict (chosen by the URL)
local rows = {}
for i = 1, 1000 do
  rows[i] = string.format('{"feature_0": %.3f, "feature_1": -0.5, "feature_2": 2.0, "feature_3": %.3f, "feature_4": -1.0}',
    (i % 37) / 10.0 - 1.8, (i % 11) / 5.0 - 1.0)
end
local array = '[' .. table.concat(rows, ",") .. ']'
local batch = '{"instances": ' .. array .. ', "batch_size": 1000}'
request = function()
  local body = wrk.path:find("batch_predict") and batch or array
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
