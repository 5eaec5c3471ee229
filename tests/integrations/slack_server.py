"""A local HTTP server that answers like the Slack Web API (for slack-sdk's base_url), and a
helper that signs requests like Slack does."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

SECRET = "geheim-signatur-schluessel"


def signed_headers(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


class FakeSlack:
    """`calls` holds the calls answered as usual; `refused` those failed by `outage` or
    `channel_errors`.
    `stop()` then `start()` is an outage (connection refused) on the same port; `outage`
    (status, error, headers) answers every chat.* call with that error; `channel_errors` fails
    posts to a channel for good (e.g. "channel_not_found"); `delay` slows each answer."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.refused: list[tuple[str, dict[str, Any]]] = []
        self.emails: dict[str, str] = {}
        self.rate_limit_next = 0
        self.outage: tuple[int, str, dict[str, str]] | None = None
        self.channel_errors: dict[str, str] = {}
        self.delay = 0.0
        self._ts = 1_700_000_000
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = ThreadingHTTPServer(
            ("127.0.0.1", 0), self._handler()
        )
        self.port = int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> None:
        if self.server is None:
            self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def posted(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    def answer(self, method: str, args: dict[str, Any]) -> tuple[int, dict[str, Any], dict]:
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            if self.rate_limit_next and method.startswith("chat."):
                self.rate_limit_next -= 1
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
            error = self._error(method, args)
            if error is not None:
                self.refused.append((method, args))
                return error
            self.calls.append((method, args))
            if method == "users.info":
                email = self.emails.get(str(args.get("user")))
                if email is None:
                    return 200, {"ok": False, "error": "user_not_found"}, {}
                return (
                    200,
                    {"ok": True, "user": {"id": args["user"], "profile": {"email": email}}},
                    {},
                )
            if method == "chat.postMessage":
                self._ts += 1
                return (
                    200,
                    {"ok": True, "channel": args.get("channel"), "ts": f"{self._ts}.000100"},
                    {},
                )
            return 200, {"ok": True}, {}

    def _error(self, method: str, args: dict[str, Any]) -> tuple[int, dict[str, Any], dict] | None:
        if self.outage is not None and method.startswith("chat."):
            status, error, headers = self.outage
            return status, {"ok": False, "error": error}, headers
        error = self.channel_errors.get(str(args.get("channel")))
        if error is not None and method == "chat.postMessage":
            return 200, {"ok": False, "error": error}, {}
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "json" in (self.headers.get("Content-Type") or ""):
                    args = json.loads(body or b"{}")
                else:
                    args = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                status, payload, headers = fake.answer(self.path.rsplit("/", 1)[-1], args)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
