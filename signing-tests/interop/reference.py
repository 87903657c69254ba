#!/usr/bin/env python3
"""Signs and verifies with the reference Standard Webhooks implementation (PyPI `standardwebhooks`).

Used by `signing-tests/tests/interop.rs`. Reads a JSON list of requests on stdin and writes a JSON
list of answers, in the same order, on stdout:

    {"op": "sign", "secret": "whsec_...", "id": "msg_1", "timestamp": 1700000000, "body": "..."}
        -> {"signature": "v1,..."}
    {"op": "verify", "secret": "whsec_...", "id": "msg_1", "timestamp": "1700000000",
     "signature": "v1,...", "body": "..."}
        -> {"ok": true} or {"ok": false, "error": "..."}

Bodies are text (the reference library decodes bytes as UTF-8 anyway). `verify` checks the
timestamp against the current time, as the library always does.
"""

import json
import sys
from datetime import datetime, timezone

from standardwebhooks import Webhook


def answer(request):
    webhook = Webhook(request["secret"])
    if request["op"] == "sign":
        when = datetime.fromtimestamp(request["timestamp"], tz=timezone.utc)
        return {"signature": webhook.sign(request["id"], when, request["body"])}
    if request["op"] == "verify":
        headers = {
            "webhook-id": request["id"],
            "webhook-timestamp": request["timestamp"],
            "webhook-signature": request["signature"],
        }
        try:
            webhook.verify(request["body"].encode("utf-8"), headers, json_parse=False)
        except Exception as err:  # the library raises several kinds; all mean "rejected"
            return {"ok": False, "error": f"{type(err).__name__}: {err}"}
        return {"ok": True}
    raise ValueError(f"unknown op {request['op']!r}")


def main():
    requests = json.load(sys.stdin)
    json.dump([answer(request) for request in requests], sys.stdout)


if __name__ == "__main__":
    main()
