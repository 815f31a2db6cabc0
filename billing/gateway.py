"""The payment gateway's HTTP API, spoken as Stripe Checkout's contract (PAYMENT_GATEWAY_URL
points elsewhere only for a stand-in), and the check of its webhook signatures."""

import hashlib
import hmac
import time

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ATTEMPTS = 2


class GatewayError(Exception):
    """The gateway could not be reached or refused the request."""


class SignatureError(Exception):
    """A webhook whose signature is missing, wrong or too old."""


def configured():
    return bool(settings.PAYMENT_GATEWAY_SECRET_KEY)


def create_checkout_session(*, amount_minor, currency, name, reference, success_url,
                            cancel_url, idempotency_key, metadata=None):
    """A hosted payment page for `amount_minor` (cents) of `currency`: returns the gateway's
    session, {"id": "cs_…", "url": "https://…", …}. A failed attempt is repeated once with the
    same Idempotency-Key, so the gateway never makes two sessions of one request."""
    data = {
        "mode": "payment",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": currency.lower(),
        "line_items[0][price_data][unit_amount]": str(int(amount_minor)),
        "line_items[0][price_data][product_data][name]": name,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": str(reference),
        **{f"metadata[{key}]": str(value) for key, value in (metadata or {}).items()},
    }
    headers = {"Authorization": f"Bearer {settings.PAYMENT_GATEWAY_SECRET_KEY}",
               "Idempotency-Key": idempotency_key}
    url = f"{settings.PAYMENT_GATEWAY_URL}/v1/checkout/sessions"
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = httpx.post(url, data=data, headers=headers, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            if attempt == ATTEMPTS:
                raise GatewayError(f"The payment gateway did not answer: {exc}") from exc
            continue
        if response.status_code >= 500 and attempt < ATTEMPTS:
            continue
        break
    if response.status_code != 200:
        raise GatewayError(f"The payment gateway refused the checkout "
                           f"(HTTP {response.status_code}): {response.text[:200]}")
    try:
        session = response.json()
    except ValueError as exc:
        raise GatewayError("The payment gateway's answer is not JSON.") from exc
    if not isinstance(session, dict) or not session.get("id") or not session.get("url"):
        raise GatewayError("The payment gateway's answer has no session id or URL.")
    return session


def verify_signature(payload: bytes, header: str, secret, tolerance=300, now=None):
    """Check a `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]` header: one v1 must be the
    HMAC-SHA256 of "<t>.<payload>" with `secret`, and t at most `tolerance` seconds old (a
    replayed old event is refused). Raises SignatureError."""
    if not secret:
        raise SignatureError("No webhook secret is configured.")
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit() or not signatures:
        raise SignatureError("The signature header is missing or malformed.")
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + payload,
                        hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
               for signature in signatures):
        raise SignatureError("No signature matches the payload.")
    if int(timestamp) < (now if now is not None else time.time()) - tolerance:
        raise SignatureError("The signature is too old.")
