"""A stand-in for the payment gateway: a real HTTP server on 127.0.0.1 speaking the part of
Stripe Checkout's contract the app uses. It makes checkout sessions (Bearer key, form
parameters), shows its own hosted payment page, and when the client pays there it calls the
app's webhook with a signed `checkout.session.completed` event, then sends the client back
to the success URL. Its signing is written here on purpose, not taken from the app."""

import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest

SECRET_KEY = "sk_test_fake_51HxYz0123456789"
WEBHOOK_SECRET = "whsec_fake_0123456789abcdef"


class FakeGateway:
    def __init__(self, webhook_url):
        self.webhook_url = webhook_url
        self.sessions = {}          # id → the session as the gateway keeps it
        self.created = []           # (headers lower-cased, form) of every checkout request
        self.events = {}            # session id → the event delivered when it was paid
        self.deliveries = []        # the HTTP status the app answered to each webhook
        self.pay_amount = None      # minor units the client pays instead of the amount due
        self._by_idempotency_key = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- what the gateway sends the app -------------------------------------------------

    @staticmethod
    def signature(payload, secret=WEBHOOK_SECRET, timestamp=None):
        timestamp = int(time.time()) if timestamp is None else timestamp
        digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload,
                          hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    def deliver(self, event, secret=WEBHOOK_SECRET, signature=None):
        """POST `event` to the app's webhook, signed with `secret`; returns the status."""
        payload = json.dumps(event).encode()
        response = httpx.post(self.webhook_url, content=payload, timeout=30, headers={
            "Content-Type": "application/json",
            "Stripe-Signature": signature if signature is not None
            else self.signature(payload, secret)})
        status = response.status_code
        self.deliveries.append(status)
        return status

    def redeliver(self, session_id):
        """The same event again, as a gateway does when it did not hear back in time."""
        return self.deliver(self.events[session_id])

    def deliver_with_bad_signature(self, session_id):
        return self.deliver(self.events[session_id], secret="whsec_not_the_right_one")

    def pay(self, session_id):
        """The client pays on the hosted page: the session is paid and the event sent."""
        session = self.sessions[session_id]
        session.update(payment_status="paid", status="complete",
                       payment_intent=f"pi_{secrets.token_hex(12)}")
        if self.pay_amount is not None:
            session["amount_total"] = self.pay_amount
        event = {"id": f"evt_{secrets.token_hex(12)}", "object": "event",
                 "type": "checkout.session.completed", "created": int(time.time()),
                 "data": {"object": dict(session)}}
        self.events[session_id] = event
        self.deliver(event)
        return session

    # --- the HTTP side ------------------------------------------------------------------

    def _create_session(self, headers, form):
        self.created.append((headers, form))
        if headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return 401, {"error": {"type": "invalid_request_error",
                                   "message": "Invalid API Key provided."}}
        price = "line_items[0][price_data]"
        try:
            amount = int(form[f"{price}[unit_amount]"]) * int(form["line_items[0][quantity]"])
            session = {
                "object": "checkout.session", "mode": form["mode"],
                "amount_total": amount, "currency": form[f"{price}[currency]"],
                "client_reference_id": form.get("client_reference_id"),
                "metadata": {key[len("metadata["):-1]: value for key, value in form.items()
                             if key.startswith("metadata[")},
                "name": form[f"{price}[product_data][name]"],
                "success_url": form["success_url"], "cancel_url": form["cancel_url"],
                "payment_status": "unpaid", "status": "open", "payment_intent": None,
            }
        except (KeyError, ValueError) as exc:
            return 400, {"error": {"type": "invalid_request_error",
                                   "message": f"Missing or bad parameter: {exc}"}}
        with self._lock:
            key = headers.get("idempotency-key")
            if key and key in self._by_idempotency_key:
                return 200, self.sessions[self._by_idempotency_key[key]]
            session_id = f"cs_test_{secrets.token_hex(16)}"
            session.update(id=session_id, url=f"{self.url}/c/pay/{session_id}")
            self.sessions[session_id] = session
            if key:
                self._by_idempotency_key[key] = session_id
        return 200, session

    def _page(self, session):
        amount = f"{session['amount_total'] / 100:,.2f} {session['currency'].upper()}"
        return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Fake gateway · Pay</title><link rel="icon" href="data:,"></head><body>
<h1>Pay {html.escape(session['name'])}</h1>
<p id="amount">{amount}</p>
<form method="post"><button type="submit">Pay</button></form>
<a href="{html.escape(session['cancel_url'])}">Cancel</a>
</body></html>"""

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, content_type="application/json", location=None):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(data)

            def _session(self):
                prefix = "/c/pay/"
                if self.path.startswith(prefix):
                    return gateway.sessions.get(self.path[len(prefix):])
                return None

            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/v1/checkout/sessions":
                    form = {key: values[-1] for key, values in
                            parse_qs(body.decode(), keep_blank_values=True).items()}
                    headers = {key.lower(): value for key, value in self.headers.items()}
                    self._answer(*gateway._create_session(headers, form))
                    return
                session = self._session()
                if session is None:
                    self._answer(404, {"error": {"message": "No such page."}})
                    return
                gateway.pay(session["id"])
                self._answer(303, "", "text/plain", location=session["success_url"])

            def do_GET(self):  # noqa: N802 (http.server API)
                session = self._session()
                if session is None:
                    self._answer(404, "Not found", "text/plain")
                    return
                self._answer(200, gateway._page(session), "text/html; charset=utf-8")

        return Handler


@pytest.fixture(name="fake_gateway")
def fake_gateway_fixture(live_server, settings):
    """The fake gateway running, the app's settings pointed at it and its webhooks sent to
    the live server."""
    from django.urls import reverse

    gateway = FakeGateway(live_server.url + reverse("webhooks:gateway"))
    gateway.start()
    settings.PAYMENT_GATEWAY_URL = gateway.url
    settings.PAYMENT_GATEWAY_SECRET_KEY = SECRET_KEY
    settings.PAYMENT_GATEWAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_GATEWAY_CHECKOUT_ORIGIN = gateway.url
    settings.SITE_URL = live_server.url
    try:
        yield gateway
    finally:
        gateway.stop()
