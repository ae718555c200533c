#!/usr/bin/env python3
"""The chapter's API client (test_api_client(), section 2.1) against an mlops ModelServer.

The requests are the chapter's, byte for byte in their JSON; only the base URL differs (argv[1]).
Beyond printing the answers as the chapter does, it checks that every field the chapter's Flask
API returns is present with the chapter's type, and exits non-zero naming the first one missing.
Needs Debian's python3-requests.
"""
import sys

import requests


def check(body, fields, where):
    for name, kinds in fields.items():
        if name not in body:
            sys.exit(f"{where}: field '{name}' is missing from {body}")
        if not isinstance(body[name], kinds):
            sys.exit(f"{where}: field '{name}' is {type(body[name]).__name__}, the chapter's API gives {kinds}")


def test_api_client(base):
    test_data = {
        'feature_0': 1.5,
        'feature_1': -0.5,
        'feature_2': 2.0,
        'feature_3': 0.0,
        'feature_4': -1.0
    }

    response = requests.post(base + '/predict', json=test_data)
    print("Single prediction response:", response.json())
    assert response.status_code == 200, response.text
    check(response.json(), {'predictions': list, 'probabilities': (list, type(None)),
                            'processing_time_seconds': float, 'model_version': str, 'timestamp': str}, '/predict')

    batch_data = {
        'instances': [test_data for _ in range(5)],
        'batch_size': 2
    }
    response = requests.post(base + '/batch_predict', json=batch_data)
    print("Batch prediction response:", response.json())
    assert response.status_code == 200, response.text
    check(response.json(), {'predictions': list, 'probabilities': (list, type(None)), 'num_instances': int,
                            'processing_time_seconds': float, 'throughput_per_second': float, 'timestamp': str},
          '/batch_predict')
    assert response.json()['num_instances'] == 5

    response = requests.get(base + '/health')
    print("Health response:", response.json())
    check(response.json(), {'status': str, 'uptime_seconds': float, 'requests_served': int, 'error_rate': float},
          '/health')

    response = requests.get(base + '/model_info')
    print("Model info response:", response.json())
    check(response.json(), {'model_type': str, 'model_version': str, 'features': (list, type(None)),
                            'n_features': (int, type(None)), 'config': dict}, '/model_info')
    return response.json()


if __name__ == "__main__":
    test_api_client(sys.argv[1].rstrip('/'))
    print("chapter client: every field present")
