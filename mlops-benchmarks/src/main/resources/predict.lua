-- wrk script: POST one instance to /predict
wrk.method = "POST"
wrk.body = '{"tenure_months": 7, "monthly_charges": 80.5, "contract": "month-to-month"}'
wrk.headers["Content-Type"] = "application/json"
