"""The recording loopback server, the wire helpers and the check counter both conformance
scripts use.

`start_server(take)` answers every request with what `take(request)` returns, where `request` is
`{"method", "target", "headers", "body"}` as it arrived; `header` reads one header of such a
request; `official_authorization` is the `Authorization` the official SDK's own `Signer` computes
for exactly what arrived.
"""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer


def start_server(take):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            # http.server decodes header bytes as Latin-1; undo that to get the UTF-8 sent.
            headers = [(k, v.encode("latin-1").decode("utf-8", "replace")) for k, v in self.headers.items()]
            status, answer_headers, answer_body = take(
                {"method": self.command, "target": self.path, "headers": headers, "body": body}
            )
            self.send_response(status)
            for name, value in answer_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer_body)))
            self.end_headers()
            self.wfile.write(answer_body)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # A client closing an idle keep-alive connection is normal, not worth a traceback.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def header(request, name):
    """The header's value; a list of them when it came more than once (a difference in itself)."""
    values = [value for key, value in request["headers"] if key.lower() == name.lower()]
    if len(values) > 1:
        return values
    return values[0] if values else None


def official_authorization(request, ak, sk):
    """The Authorization value the official signer computes for what arrived on the wire."""
    authorization = header(request, "Authorization") or ""
    signed = authorization.split("SignedHeaders=", 1)[-1].split(",", 1)[0].split(";")
    target = urlsplit(request["target"])
    sdk_request = SdkRequest(
        method=request["method"],
        resource_path=target.path,
        query_params=parse_qsl(target.query, keep_blank_values=True),
        header_params={name: value for name, value in request["headers"] if name.lower() in signed},
        body=request["body"],
    )
    return Signer(BasicCredentials(ak, sk)).sign(sdk_request).header_params["Authorization"]


class Checks:
    """Counts named checks and prints each as `ok` or `FAIL` with its problems, each shown
    through `show` (a script that may quote secrets masks them there)."""

    def __init__(self, show=lambda text: text):
        self.passed = 0
        self.failed = 0
        self.show = show

    def check(self, name, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for problem in problems:
                print(f"     {self.show(problem)}")
        else:
            self.passed += 1
            print(f"ok   {name}")
