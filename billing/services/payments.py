"""Payments: recorded on an invoice ("Record Payment"), on the client's account without an
invoice (an advance), or by the payment gateway; applied to invoices by allocations, so an
invoice's paid amount and a client's credit always come from the same rows; voided, never
deleted, when recorded by mistake (the receipt number stays used)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from crmconnect.activity.services import activity_record, notify
from crmconnect.clients.models import Client
from crmconnect.core.money import money_text, round_money
from sales.services.access import for_change, require

from ..events import invoice_paid, payment_recorded, payment_voided
from ..models import BillingSettings, Invoice, Payment, PaymentAllocation, Series
from .invoices import invoice_for_change
from .invoices import log as invoice_log
from .numbering import number_take


def _open_invoice(actor, invoice):
    invoice = invoice_for_change(actor, invoice, "billing.view_invoice")
    if not invoice.is_open:
        raise ValidationError(f"Invoice {invoice.number} is {invoice.get_status_display()}: "
                              "there is nothing to pay on it.")
    return invoice


def _allocate(actor, payment, invoice, amount):
    """Apply `amount` of `payment` to `invoice` (both locked by the caller)."""
    PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=amount,
                                     created_by=actor)
    payment.allocated += amount
    payment.save(update_fields=["allocated"])
    old = invoice.get_status_display()
    invoice.amount_paid += amount
    invoice.settle()
    invoice.save(update_fields=["amount_paid", "status", "updated_at"])
    new = invoice.get_status_display()
    invoice_log(actor, invoice, "invoice.paid_amount",
                f"{money_text(amount, invoice.currency)} applied from {payment}; balance "
                f"{money_text(invoice.balance, invoice.currency)}",
                {"status": [old, new]} if old != new else None)
    if invoice.status == Invoice.Status.PAID:
        notify(recipient=invoice.assigned_to, actor=actor, url=invoice.get_absolute_url(),
               message=f"Invoice {invoice.number} ({invoice.client}) is paid.")
        transaction.on_commit(lambda: invoice_paid.send(sender=Invoice, invoice=invoice,
                                                        actor=actor))


def _receipt_number(payment):
    series = Series.objects.filter(document_type=Series.DocumentType.RECEIPT, is_default=True,
                                   active=True).first()
    if series is not None:
        payment.receipt_sequence, payment.receipt_number, payment.receipt_series = (
            number_take(series))


@transaction.atomic
def payment_record(*, actor, amount, mode, date=None, invoice=None, client=None, currency=None,
                   transaction_reference="", note="", excess_to_credit=False,
                   gateway_reference=None):
    """Record money received. With `invoice`, it is applied to the invoice (an amount above
    the balance is refused unless `excess_to_credit`: the excess stays as client credit).
    Without, it is an advance on `client`'s account in `currency`. Actor None: the gateway."""
    require(actor, "billing.add_payment")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount above zero."})
    if date is not None and date > timezone.localdate():
        raise ValidationError({"date": "A payment cannot be dated in the future."})
    if invoice is not None:
        invoice = _open_invoice(actor, invoice)
        client, currency = invoice.client, invoice.currency
        if amount > invoice.balance:
            if not excess_to_credit:
                raise ValidationError({"amount": (
                    f"The balance of {invoice.number} is {money_text(invoice.balance)} "
                    f"{currency}: record at most that, or keep the excess as client credit.")})
            if actor is not None and not BillingSettings.load().allow_overpayment_to_credit:
                raise ValidationError({"amount": "Overpayments are not kept as credit (Billing "
                                                 "configuration): record at most the balance."})
    else:
        if client is None or not currency:
            raise ValidationError("Choose the client and the currency of the advance payment.")
        if actor is not None and not Client.objects.visible_to(actor).filter(
                pk=client.pk).exists():
            raise PermissionDenied
    payment = Payment(client=client, currency=currency, amount=amount, mode=mode,
                      date=date or timezone.localdate(), note=note,
                      transaction_reference=transaction_reference,
                      gateway_reference=gateway_reference, recorded_by=actor)
    payment.full_clean(exclude=["client", "mode", "gateway_reference"])
    _receipt_number(payment)
    payment.save()
    where = f"on invoice {invoice.number}" if invoice else "on account (client credit)"
    activity_record(actor=actor, event="payment.recorded", record=payment, client=client,
                    description=f"Payment {payment} of {money_text(amount, currency)} by {mode} "
                                f"{where}")
    if invoice is not None:
        _allocate(actor, payment, invoice, min(amount, invoice.balance))
    transaction.on_commit(lambda: payment_recorded.send(sender=Payment, payment=payment,
                                                        actor=actor))
    return payment


def client_credit(client, currency=None):
    """{currency: amount} the client has paid and not yet had applied to an invoice."""
    rows = Payment.objects.credit().filter(client=client)
    if currency:
        rows = rows.filter(currency=currency)
    totals = (rows.order_by("currency").values("currency")
              .annotate(amount=Sum("amount"), applied=Sum("allocated")))
    return {row["currency"]: round_money(row["amount"] - row["applied"]) for row in totals}


@transaction.atomic
def credit_apply(*, actor, invoice, amount=None):
    """Apply the client's credit in the invoice's currency to the invoice, oldest payment
    first, up to `amount` (default: as much as the balance takes). Returns what was applied."""
    require(actor, "billing.add_payment")
    # The payments are locked before the invoice, in the order voiding a payment locks them
    # (the payment, then its invoices), so the two never wait for each other. An issued
    # invoice's client and currency never change, so they can be read before its lock.
    sources = list(Payment.objects.credit().select_for_update()
                   .filter(client_id=invoice.client_id, currency=invoice.currency)
                   .order_by("date", "pk"))
    invoice = _open_invoice(actor, invoice)
    wanted = invoice.balance if amount is None else min(Decimal(amount), invoice.balance)
    if wanted <= 0:
        raise ValidationError({"amount": "Enter an amount above zero."})
    applied = Decimal(0)
    for payment in sources:
        part = min(payment.unallocated, wanted - applied)
        if part <= 0:
            break
        _allocate(actor, payment, invoice, part)
        applied += part
    if applied == 0:
        raise ValidationError(f"{invoice.client} has no credit in {invoice.currency}.")
    return applied


def payment_for_change(actor, payment, permission):
    return for_change(Payment, actor, payment, permission)


@transaction.atomic
def payment_void(*, actor, payment, reason):
    """Undo a payment recorded by mistake: its allocations are removed, the invoices it paid
    owe that money again, and the payment stays listed as voided with its receipt number."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the payment is voided."})
    payment = payment_for_change(actor, payment, "billing.delete_payment")
    if payment.voided_at is not None:
        raise ValidationError("The payment is already voided.")
    allocations = list(payment.allocations.order_by("invoice_id"))
    invoices = {invoice.pk: invoice for invoice in Invoice.objects.select_for_update()
                .filter(pk__in=[row.invoice_id for row in allocations]).order_by("pk")}
    for allocation in allocations:
        invoice = invoices[allocation.invoice_id]
        old = invoice.get_status_display()
        invoice.amount_paid -= allocation.amount
        invoice.settle()
        invoice.save(update_fields=["amount_paid", "status", "updated_at"])
        new = invoice.get_status_display()
        invoice_log(actor, invoice, "invoice.payment_voided",
                    f"{money_text(allocation.amount, invoice.currency)} of {payment} removed "
                    f"(payment voided); balance {money_text(invoice.balance, invoice.currency)}",
                    {"status": [old, new]} if old != new else None)
    payment.allocations.all().delete()
    payment.allocated = Decimal(0)
    payment.voided_at = timezone.now()
    payment.void_reason = reason
    payment.save(update_fields=["allocated", "voided_at", "void_reason"])
    activity_record(actor=actor, event="payment.voided", record=payment, client=payment.client,
                    description=f"Payment {payment} of {money_text(payment.amount)} "
                                f"{payment.currency} voided: {reason}")
    transaction.on_commit(lambda: payment_voided.send(sender=Payment, payment=payment,
                                                      actor=actor))
    return payment
