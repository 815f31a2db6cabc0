"""Paying an invoice online: the client's "Pay online" opens a checkout at the payment gateway
for the balance; the gateway's signed webhook says when the money is in, and the payment is
recorded then, once, however often the event is delivered."""

import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crmconnect.activity.services import notify
from crmconnect.core.money import money_text

from .. import gateway
from ..models import GatewayCheckout, GatewayEvent, Invoice, PaymentMode
from .payments import payment_record
from .portal import portal_log

logger = logging.getLogger(__name__)

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}


def online_payment_refusal(invoice):
    """Why the client cannot pay `invoice` online now, or None."""
    if not gateway.configured():
        return "Online payment is not available."
    if not invoice.is_open or invoice.balance <= 0:
        return f"Invoice {invoice.number} has nothing left to pay."
    if not any(mode.kind == PaymentMode.Kind.ONLINE and mode.active
               for mode in invoice.payment_modes.all()):
        return f"Invoice {invoice.number} cannot be paid online."
    return None


def checkout_open(*, invoice, ip_address, return_url):
    """Open a checkout for the current balance and return the gateway's page to send the
    client to; they come back to `return_url` with ?paid=1 or ?cancelled=1. The gateway is
    called outside any transaction: nothing is locked while it answers, and nothing is stored
    when it fails (GatewayError)."""
    invoice = Invoice.objects.select_related("client").prefetch_related("payment_modes").get(
        pk=invoice.pk)
    refusal = online_payment_refusal(invoice)
    if refusal:
        raise ValidationError(refusal)
    amount = invoice.balance
    session = gateway.create_checkout_session(
        amount_minor=int(amount * 100), currency=invoice.currency,
        name=f"Invoice {invoice.number}", reference=invoice.pk,
        metadata={"invoice_id": invoice.pk},
        success_url=f"{return_url}?paid=1", cancel_url=f"{return_url}?cancelled=1",
        idempotency_key=f"invoice-{invoice.pk}-{uuid.uuid4().hex}")
    with transaction.atomic():
        GatewayCheckout.objects.create(invoice=invoice, session_id=session["id"], amount=amount,
                                       currency=invoice.currency, ip_address=ip_address or None)
        portal_log(invoice, "invoice.checkout",
                   f"online payment of {money_text(amount, invoice.currency)} started", ip_address)
    return session["url"]


def _online_mode():
    """The payment mode of gateway payments: money already received is recorded even if the
    mode was deactivated or removed since the checkout opened."""
    mode = (PaymentMode.objects.filter(kind=PaymentMode.Kind.ONLINE)
            .order_by("-active", "ordering", "pk").first())
    if mode is None:
        mode, _ = PaymentMode.objects.get_or_create(
            name="Online payment", defaults={"kind": PaymentMode.Kind.ONLINE,
                                             "is_default": False, "active": False})
    return mode


@transaction.atomic
def gateway_event_handle(*, event):
    """Record the payment of a paid checkout (`event` is the webhook's verified JSON). Money
    the client paid is never refused: what exceeds the balance, or all of it when the invoice
    is no longer open, stays on the client's account as credit. Returns the payment, or None
    when the event changes nothing (another type, a redelivery, a checkout not ours)."""
    session = (event.get("data") or {}).get("object") or {}
    if event.get("type") not in PAID_EVENTS or session.get("payment_status") != "paid":
        return None
    try:
        with transaction.atomic():
            GatewayEvent.objects.create(event_id=event["id"], type=event["type"])
    except IntegrityError:
        return None
    checkout = (GatewayCheckout.objects.select_for_update()
                .filter(session_id=session.get("id")).first())
    if checkout is None:
        logger.warning("Gateway event %s: no checkout %s here", event["id"], session.get("id"))
        return None
    if checkout.status == GatewayCheckout.Status.PAID:
        return None
    invoice = (Invoice.objects.select_for_update(of=("self",))
               .select_related("client", "assigned_to").get(pk=checkout.invoice_id))
    amount_minor, currency = session.get("amount_total"), str(session.get("currency", ""))
    if (not isinstance(amount_minor, int) or amount_minor <= 0
            or currency.upper() != checkout.currency):
        # Signed by the gateway but not what the checkout asked for: nothing is recorded
        # in a currency the money was not paid in; a person looks at it.
        logger.error("Gateway event %s: %r %r for checkout %s in %s", event["id"],
                     amount_minor, currency, checkout.session_id, checkout.currency)
        notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
               message=f"An online payment for invoice {invoice.number} came back as "
                       f"{amount_minor!r} {currency.upper() or '?'} instead of "
                       f"{checkout.currency}: it was not recorded. Check it at the gateway.")
        return None
    paid = dict(actor=None, amount=Decimal(amount_minor).scaleb(-2),
                mode=_online_mode(), gateway_reference=checkout.session_id,
                transaction_reference=str(session.get("payment_intent") or checkout.session_id)
                [:100])
    if invoice.is_open:
        payment = payment_record(invoice=invoice, excess_to_credit=True, **paid)
    else:
        status = invoice.get_status_display()
        payment = payment_record(client=invoice.client, currency=checkout.currency,
                                 note=f"Paid online for invoice {invoice.number}, which was "
                                      f"{status} by then: kept as client credit.", **paid)
        notify(recipient=invoice.assigned_to, url=payment.get_absolute_url(),
               message=f"{invoice.client} paid invoice {invoice.number} online after it was "
                       f"{status}: the money is kept as client credit.")
    checkout.status, checkout.payment = GatewayCheckout.Status.PAID, payment
    checkout.save(update_fields=["status", "payment"])
    return payment
