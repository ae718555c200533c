-- wrk script: POST one instance to /predict, each request in a new caller's trace (W3C traceparent)
wrk.method = "POST"
wrk.body = '{"tenure_months": 7, "monthly_charges": 80.5, "contract": "month-to-month"}'
wrk.headers["Content-Type"] = "application/json"

local function hex(n)
  local s = ""
  for _ = 1, n do
    s = s .. string.format("%08x", math.random(0, 0x7fffffff))
  end
  return s
end

request = function()
  wrk.headers["traceparent"] = "00-" .. hex(4) .. "-" .. hex(2) .. "-01"
  return wrk.format()
end
