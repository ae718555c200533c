"""An independent DSSE verifier, written from the DSSE v1 and in-toto Statement v1 specifications:
checks an mlops model signature with the `cryptography` package alone.

usage: verify_dsse.py ENVELOPE.json PUBLIC_KEY.pem ARTIFACT NAME:VERSION
prints "verified KEYID" and exits 0, or prints the reason and exits 1.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def pae(payload_type: bytes, payload: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(payload), payload)


def main() -> int:
    envelope_file, key_file, artifact_file, subject_name = sys.argv[1:5]
    with open(envelope_file, "rb") as f:
        envelope = json.load(f)
    with open(key_file, "rb") as f:
        key = load_pem_public_key(f.read())
    with open(artifact_file, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    payload_type = envelope["payloadType"].encode("utf-8")
    payload = base64.b64decode(envelope["payload"])
    statement = json.loads(payload)
    if statement["_type"] != "https://in-toto.io/Statement/v1":
        print("not an in-toto statement")
        return 1
    subject = statement["subject"][0]
    if subject["name"] != subject_name or subject["digest"]["sha256"] != digest:
        print("the statement names other bytes or another version")
        return 1
    for sig in envelope["signatures"]:
        try:
            key.verify(base64.b64decode(sig["sig"]), pae(payload_type, payload))
            print("verified " + sig.get("keyid", ""))
            return 0
        except InvalidSignature:
            continue
    print("no signature verifies")
    return 1


if __name__ == "__main__":
    sys.exit(main())
