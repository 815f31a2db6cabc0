"""Paying online: the webhook signature check, the checkout request as the gateway receives
it, and the whole flow over real HTTP through the fake gateway (tests/billing/fake_gateway.py)
calling back the live server's webhook."""

import json
import socket
import time
from decimal import Decimal

import httpx
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from billing.gateway import (
    GatewayError,
    SignatureError,
    create_checkout_session,
    verify_signature,
)
from billing.models import GatewayCheckout, GatewayEvent, Invoice, Payment, PaymentMode
from billing.services.gateway import gateway_event_handle
from billing.services.payments import payment_record
from crmconnect.activity.models import Activity

from .fake_gateway import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    FakeGateway,
    fake_gateway_fixture,  # noqa: F401 (the fixture `fake_gateway`)
)
from .test_portal import linked_fixture, url  # noqa: F401 (the fixture `linked`)

SECRET = "whsec_unit_test"
PAYLOAD = b'{"id": "evt_1", "type": "checkout.session.completed"}'


def checkout_events(invoice):
    return Activity.objects.filter(content_type=ContentType.objects.get_for_model(Invoice),
                                   object_id=invoice.pk, event="invoice.checkout")


# --- the signature of webhooks -------------------------------------------------------------

def test_a_valid_signature_passes():
    verify_signature(PAYLOAD, FakeGateway.signature(PAYLOAD, SECRET), SECRET)


def test_one_matching_signature_among_several_passes():
    """During a secret rotation the gateway signs with the old and the new secret."""
    good = FakeGateway.signature(PAYLOAD, SECRET)
    old = FakeGateway.signature(PAYLOAD, "whsec_old").split(",")[1]
    verify_signature(PAYLOAD, f"{good.split(',')[0]},{old},{good.split(',')[1]}", SECRET)


@pytest.mark.parametrize("payload, header", [
    (PAYLOAD.replace(b"evt_1", b"evt_2"), FakeGateway.signature(PAYLOAD, SECRET)),
    (PAYLOAD, FakeGateway.signature(PAYLOAD, "whsec_someone_else")),
    (PAYLOAD, FakeGateway.signature(PAYLOAD, SECRET).replace("t=", "t=1")),
    (PAYLOAD, ""),
    (PAYLOAD, "t=1700000000"),
    (PAYLOAD, "v1=" + "0" * 64),
    (PAYLOAD, "t=soon,v1=" + "0" * 64),
], ids=["tampered payload", "wrong secret", "changed timestamp", "missing", "no v1", "no t",
        "bad t"])
def test_a_wrong_or_missing_signature_is_refused(payload, header):
    with pytest.raises(SignatureError):
        verify_signature(payload, header, SECRET)


def test_an_old_signature_is_refused_as_a_replay():
    signed_at = int(time.time()) - 301
    header = FakeGateway.signature(PAYLOAD, SECRET, timestamp=signed_at)
    with pytest.raises(SignatureError, match="too old"):
        verify_signature(PAYLOAD, header, SECRET)
    verify_signature(PAYLOAD, header, SECRET, tolerance=600)


def test_without_a_configured_secret_nothing_passes():
    with pytest.raises(SignatureError):
        verify_signature(PAYLOAD, FakeGateway.signature(PAYLOAD, ""), "")


# --- the webhook endpoint (the app's side alone) --------------------------------------------

def post_event(client, event, secret=WEBHOOK_SECRET):
    payload = json.dumps(event).encode()
    return client.post(reverse("webhooks:gateway"), payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=FakeGateway.signature(payload, secret))


def paid_event(checkout, amount_total, event_id="evt_test_1"):
    return {"id": event_id, "type": "checkout.session.completed", "data": {"object": {
        "id": checkout.session_id, "payment_status": "paid", "amount_total": amount_total,
        "currency": "ron", "payment_intent": "pi_test_1"}}}


@pytest.fixture
def checkout(linked, settings):
    settings.PAYMENT_GATEWAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    invoice, _ = linked
    return GatewayCheckout.objects.create(invoice=invoice, session_id="cs_test_1",
                                          amount=invoice.balance, currency="RON")


def test_the_webhook_is_public_post_only_and_needs_no_csrf(checkout):
    from django.test import Client as HttpClient

    gateway = HttpClient(enforce_csrf_checks=True)
    assert gateway.get(reverse("webhooks:gateway")).status_code == 405
    response = post_event(gateway, paid_event(checkout, 167399))
    assert response.status_code == 200
    assert Payment.objects.get().amount == Decimal("1673.99")


def test_a_bad_signature_answers_400_and_records_nothing(client, checkout):
    assert post_event(client, paid_event(checkout, 167399), secret="whsec_wrong").status_code \
        == 400
    payload = json.dumps(paid_event(checkout, 167399)).encode()
    unsigned = client.post(reverse("webhooks:gateway"), payload,
                           content_type="application/json")
    assert unsigned.status_code == 400
    assert not Payment.objects.exists() and not GatewayEvent.objects.exists()


def test_a_signed_body_that_is_not_an_event_answers_400(client, checkout):
    for body in (b"not json", b"[1, 2]", b'{"type": "x"}'):
        response = client.post(reverse("webhooks:gateway"), body,
                               content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=FakeGateway.signature(body,
                                                                           WEBHOOK_SECRET))
        assert response.status_code == 400
    assert not GatewayEvent.objects.exists()


def test_other_events_are_acknowledged_and_change_nothing(client, checkout):
    unpaid = paid_event(checkout, 167399)
    unpaid["data"]["object"]["payment_status"] = "unpaid"
    expired = {**paid_event(checkout, 167399, "evt_test_2"), "type": "checkout.session.expired"}
    for event in (unpaid, expired):
        assert post_event(client, event).status_code == 200
    assert not Payment.objects.exists()
    checkout.refresh_from_db()
    assert checkout.status == GatewayCheckout.Status.OPEN


def test_an_event_for_a_checkout_not_ours_changes_nothing(client, checkout):
    event = paid_event(checkout, 167399)
    event["data"]["object"]["id"] = "cs_test_of_another_shop"
    assert post_event(client, event).status_code == 200
    assert not Payment.objects.exists()


@pytest.mark.parametrize("change", [{"currency": "eur"}, {"amount_total": None},
                                    {"amount_total": "167399"}, {"amount_total": 0}])
def test_a_paid_event_not_matching_the_checkout_records_nothing_and_tells_the_agent(
        client, checkout, agent, change):
    from crmconnect.activity.models import Notification

    event = paid_event(checkout, 167399)
    event["data"]["object"].update(change)
    assert post_event(client, event).status_code == 200
    assert not Payment.objects.exists()
    checkout.refresh_from_db()
    assert checkout.status == GatewayCheckout.Status.OPEN
    told = Notification.objects.get(recipient=agent, message__contains="not recorded")
    assert checkout.invoice.number in told.message


def test_a_signature_header_that_is_not_ascii_answers_400(client, checkout):
    payload = json.dumps(paid_event(checkout, 167399)).encode()
    response = client.post(reverse("webhooks:gateway"), payload,
                           content_type="application/json",
                           HTTP_STRIPE_SIGNATURE="t=1700000000,v1=é")
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_a_delayed_payment_that_succeeds_later_is_recorded(checkout):
    event = {**paid_event(checkout, 167399), "type": "checkout.session.async_payment_succeeded"}
    payment = gateway_event_handle(event=event)
    assert payment.amount == Decimal("1673.99") and payment.recorded_by is None
    assert payment.transaction_reference == "pi_test_1"
    assert payment.gateway_reference == "cs_test_1"


def test_an_invoice_cancelled_before_the_money_came_keeps_it_as_client_credit(
        checkout, sales_admin, agent):
    from billing.services.invoices import invoice_cancel
    from crmconnect.activity.models import Notification

    invoice = checkout.invoice
    invoice_cancel(actor=sales_admin, invoice=invoice, reason="Issued twice")
    payment = gateway_event_handle(event=paid_event(checkout, 167399))
    assert payment.client == invoice.client and payment.currency == "RON"
    assert payment.unallocated == Decimal("1673.99")
    assert "kept as client credit" in payment.note
    assert Notification.objects.filter(recipient=agent,
                                       message__contains="kept as client credit").exists()


def test_the_online_mode_records_the_payment_even_when_deactivated_since(checkout):
    PaymentMode.objects.filter(kind=PaymentMode.Kind.ONLINE).update(active=False)
    payment = gateway_event_handle(event=paid_event(checkout, 167399))
    assert payment.mode.kind == PaymentMode.Kind.ONLINE


# --- the checkout request, as the gateway receives it -------------------------------------

@pytest.fixture
def gateway_alone(settings):
    """The fake gateway without a live server (no webhook is delivered)."""
    gateway = FakeGateway("http://127.0.0.1:9/unused")
    gateway.start()
    settings.PAYMENT_GATEWAY_URL = gateway.url
    settings.PAYMENT_GATEWAY_SECRET_KEY = SECRET_KEY
    settings.PAYMENT_GATEWAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield gateway
    gateway.stop()


def test_the_checkout_request_speaks_the_gateways_contract(gateway_alone):
    session = create_checkout_session(
        amount_minor=167399, currency="RON", name="Invoice CRM000001", reference=42,
        metadata={"invoice_id": 42}, success_url="https://crm.example.com/i/t/?paid=1",
        cancel_url="https://crm.example.com/i/t/?cancelled=1", idempotency_key="key-1")
    assert session["id"].startswith("cs_test_")
    assert session["url"] == f"{gateway_alone.url}/c/pay/{session['id']}"
    (headers, form), = gateway_alone.created
    assert headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert headers["idempotency-key"] == "key-1"
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert form == {
        "mode": "payment", "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "ron",
        "line_items[0][price_data][unit_amount]": "167399",
        "line_items[0][price_data][product_data][name]": "Invoice CRM000001",
        "success_url": "https://crm.example.com/i/t/?paid=1",
        "cancel_url": "https://crm.example.com/i/t/?cancelled=1",
        "client_reference_id": "42", "metadata[invoice_id]": "42"}


def test_a_refused_key_is_a_gateway_error(gateway_alone, settings):
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test_revoked"
    with pytest.raises(GatewayError, match="HTTP 401"):
        create_checkout_session(amount_minor=100, currency="RON", name="x", reference=1,
                                success_url="http://a/", cancel_url="http://a/",
                                idempotency_key="key-2")


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_gateway_leaves_the_client_a_message_and_nothing_recorded(
        client, linked, settings):
    invoice, token = linked
    settings.PAYMENT_GATEWAY_URL = f"http://127.0.0.1:{closed_port()}"
    settings.PAYMENT_GATEWAY_SECRET_KEY = SECRET_KEY
    response = client.post(url(token, "pay"), follow=True)
    assert response.redirect_chain == [(url(token), 302)]
    assert "Online payment is not available right now: nothing was charged" in \
        response.content.decode()
    assert not GatewayCheckout.objects.exists() and not checkout_events(invoice).exists()


def test_pay_is_refused_when_nothing_is_left_to_pay(client, linked, settings, sales_admin,
                                                    bank_transfer, gateway_alone):
    invoice, token = linked
    payment_record(actor=sales_admin, invoice=invoice, amount=invoice.total, mode=bank_transfer)
    response = client.post(url(token, "pay"), follow=True)
    assert "has nothing left to pay" in response.content.decode()
    assert not gateway_alone.created and not GatewayCheckout.objects.exists()


# --- the whole flow over real HTTP ----------------------------------------------------------

# Transactional: the live server answers the fake gateway's webhook from its own thread.
flow = pytest.mark.django_db(transaction=True)


def open_checkout(client, token, fake):
    """The client's "Pay online": 303 to the gateway's own page."""
    response = client.post(url(token, "pay"), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 303
    assert response["Location"].startswith(f"{fake.url}/c/pay/cs_test_")
    return response["Location"]


@flow
def test_paying_online_records_the_payment_once_and_the_invoice_is_paid(
        client, linked, fake_gateway, live_server):
    invoice, token = linked
    page_url = open_checkout(client, token, fake_gateway)
    checkout = GatewayCheckout.objects.get()
    assert checkout.invoice == invoice and checkout.amount == Decimal("1673.99")
    assert checkout.ip_address == "203.0.113.5"
    logged = checkout_events(invoice).get()
    assert logged.ip_address == "203.0.113.5" and "1,673.99 RON" in logged.description
    (_, form), = fake_gateway.created
    assert form["success_url"] == f"{live_server.url}/i/{token}/?paid=1"
    assert form["cancel_url"] == f"{live_server.url}/i/{token}/?cancelled=1"
    assert form["metadata[invoice_id]"] == str(invoice.pk)

    hosted = httpx.get(page_url)
    assert "1,673.99 RON" in hosted.text and "Pay Invoice CRM000001" in hosted.text
    paid = httpx.post(page_url)  # the client's "Pay" on the gateway's page
    assert paid.status_code == 303 and paid.headers["location"] == form["success_url"]
    assert fake_gateway.deliveries == [200]

    payment = Payment.objects.get()
    assert payment.amount == Decimal("1673.99") and payment.mode.kind == "online"
    assert payment.receipt_number == "CHT000001"
    assert payment.gateway_reference == checkout.session_id
    assert payment.transaction_reference.startswith("pi_")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and invoice.balance == 0
    checkout.refresh_from_db()
    assert checkout.status == GatewayCheckout.Status.PAID and checkout.payment == payment

    # The same event again (the gateway did not hear back): 200 and nothing new.
    assert fake_gateway.redeliver(checkout.session_id) == 200
    assert Payment.objects.count() == 1 and GatewayEvent.objects.count() == 1

    back = client.get(url(token) + "?paid=1").content.decode()
    assert "Thank you: the payment provider took your payment" in back
    assert 'data-status="2">Paid' in back and "CHT000001" in back


@flow
def test_a_smaller_amount_paid_leaves_the_invoice_partially_paid(client, linked,
                                                                  fake_gateway):
    invoice, token = linked
    page_url = open_checkout(client, token, fake_gateway)
    fake_gateway.pay_amount = 50000
    httpx.post(page_url)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    assert invoice.amount_paid == Decimal("500.00") and invoice.balance == Decimal("1173.99")
    page = client.get(url(token)).content.decode()
    assert "Pay online 1,173.99 RON" in page  # the rest can be paid the same way


@flow
def test_money_paid_after_the_invoice_was_settled_becomes_client_credit(
        client, linked, fake_gateway, sales_admin, bank_transfer):
    invoice, token = linked
    page_url = open_checkout(client, token, fake_gateway)
    payment_record(actor=sales_admin, invoice=invoice, amount=Decimal("1000.00"),
                   mode=bank_transfer)  # a transfer arrives while the client is paying
    httpx.post(page_url)
    online = Payment.objects.get(mode__kind="online")
    assert online.amount == Decimal("1673.99")
    assert online.allocated == Decimal("673.99") and online.unallocated == Decimal("1000.00")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


@flow
def test_a_bad_signature_is_refused_and_records_nothing(client, linked, fake_gateway):
    _, token = linked
    page_url = open_checkout(client, token, fake_gateway)
    session_id = page_url.rsplit("/", 1)[1]
    fake_gateway.webhook_url += "-nowhere"  # the real delivery is lost…
    httpx.post(page_url)
    fake_gateway.webhook_url = fake_gateway.webhook_url.removesuffix("-nowhere")
    assert fake_gateway.deliver_with_bad_signature(session_id) == 400  # …a forged one fails
    assert not Payment.objects.exists() and not GatewayEvent.objects.exists()
    assert fake_gateway.redeliver(session_id) == 200  # the genuine one still counts
    assert Payment.objects.count() == 1


@pytest.mark.postgres
@flow
def test_deliveries_at_the_same_moment_record_one_payment(linked, settings):
    """The same event twice and the delayed-payment event of the same checkout, at once:
    the unique event id and the locked checkout let exactly one of them record."""
    from .test_concurrency import at_once

    settings.PAYMENT_GATEWAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    invoice, _ = linked
    checkout = GatewayCheckout.objects.create(invoice=invoice, session_id="cs_test_1",
                                              amount=invoice.balance, currency="RON")
    event = paid_event(checkout, 167399)
    later = {**paid_event(checkout, 167399, "evt_test_2"),
             "type": "checkout.session.async_payment_succeeded"}
    outcomes = at_once([lambda: gateway_event_handle(event=event),
                        lambda: gateway_event_handle(event=event),
                        lambda: gateway_event_handle(event=later)])
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sum(isinstance(outcome, Payment) for outcome in outcomes) == 1
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
