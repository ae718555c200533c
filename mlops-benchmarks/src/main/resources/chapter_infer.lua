-- wrk script: the chapter's test instance as an Open Inference Protocol request, one [1, 5] FP32 tensor
wrk.method = "POST"
wrk.body = '{"inputs": [{"name": "input", "shape": [1, 5], "datatype": "FP32", "data": [1.5, -0.5, 2.0, 0.0, -1.0]}]}'
wrk.headers["Content-Type"] = "application/json"
