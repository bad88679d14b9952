"""A small local server speaking the Stripe endpoints billing calls, recording every request."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse


class FakeStripe(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def requests_to(self, method: str, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and r["path"] == path]


class _Handler(BaseHTTPRequestHandler):
    server: FakeStripe

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        parsed = urlparse(self.path)
        request = {
            "method": self.command,
            "path": parsed.path,
            "form": dict(parse_qsl(raw or parsed.query, keep_blank_values=True)),
            "headers": dict(self.headers),
        }
        with self.server.lock:
            self.server.requests.append(request)
        return request

    def _reply(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        request = self._record()
        if request["path"].startswith("/v1/subscriptions/"):
            subscription_id = request["path"].rsplit("/", 1)[1]
            if subscription_id in self.server.subscriptions:
                return self._reply(self.server.subscriptions[subscription_id])
        self._reply({"error": {"type": "invalid_request_error", "message": "No such object"}}, 404)

    def do_DELETE(self) -> None:
        request = self._record()
        subscription_id = request["path"].rsplit("/", 1)[1]
        subscription = self.server.subscriptions.setdefault(subscription_id, {"id": subscription_id})
        subscription["status"] = "canceled"
        self._reply(subscription)

    def do_POST(self) -> None:
        request = self._record()
        path, form = request["path"], request["form"]
        if path == "/v1/customers":
            return self._reply({"id": "cus_test_1", "object": "customer", "email": form.get("email")})
        if path == "/v1/checkout/sessions":
            return self._reply(
                {"id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.test/pay/cs_test_1"}
            )
        if path == "/v1/billing_portal/sessions":
            return self._reply(
                {"id": "bps_1", "object": "billing_portal.session", "url": "https://billing.stripe.test/session/1"}
            )
        if path.startswith("/v1/customers/") and path.endswith("/balance_transactions"):
            return self._reply(
                {"id": "cbtxn_1", "object": "customer_balance_transaction", "amount": int(form["amount"])}
            )
        if path.startswith("/v1/subscriptions/"):
            subscription_id = path.rsplit("/", 1)[1]
            subscription = self.server.subscriptions.setdefault(subscription_id, {"id": subscription_id})
            if "cancel_at_period_end" in form:
                subscription["cancel_at_period_end"] = form["cancel_at_period_end"] == "true"
            return self._reply(subscription)
        self._reply({"error": {"type": "invalid_request_error", "message": "Unknown endpoint"}}, 404)


def start() -> FakeStripe:
    server = FakeStripe()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server
