-- wrk script: POST the chapter's own test instance (test_api_client(), section 2.1) to /predict
wrk.method = "POST"
wrk.body = '{"feature_0": 1.5, "feature_1": -0.5, "feature_2": 2.0, "feature_3": 0.0, "feature_4": -1.0}'
wrk.headers["Content-Type"] = "application/json"
