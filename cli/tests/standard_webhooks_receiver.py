#!/usr/bin/env python3
"""A webhook receiver that verifies with the reference Standard Webhooks implementation.

Used by `cli/tests/test_receiver.rs`, which grades it with `deck-events test-receiver`. It listens
on 127.0.0.1 on a free port, prints the port on the first line of its standard output, and
answers every POST with 204 when `standardwebhooks.Webhook(secret).verify(body, headers)` accepts
it, and 401 otherwise. The secret comes from the `WEBHOOK_SECRET` environment variable.
"""

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


def handler(webhook):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            try:
                webhook.verify(body, dict(self.headers.items()))
                status = 204
            except Exception:  # the library raises several kinds; all mean "rejected"
                status = 401
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def main():
    webhook = Webhook(os.environ["WEBHOOK_SECRET"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(webhook))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
