-- wrk script: 1,000 instances (the chapter's test instance, varied) as one JSON array to /predict
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local rows = {}
for i = 1, 1000 do
  rows[i] = string.format('{"feature_0": %.3f, "feature_1": -0.5, "feature_2": 2.0, "feature_3": %.3f, "feature_4": -1.0}',
    (i % 37) / 10.0 - 1.8, (i % 11) / 5.0 - 1.0)
end
wrk.body = '[' .. table.concat(rows, ",") .. ']'
