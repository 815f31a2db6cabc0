"""The payment services (billing/services/payments.py): payments on an invoice (partial, full,
above the balance), advances kept as client credit and applied oldest first, currencies kept
apart, voiding, receipt numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing import events
from billing.models import BillingSettings, Invoice, Payment, PaymentAllocation, Series
from billing.services.invoices import invoice_issue
from billing.services.payments import client_credit, credit_apply, payment_record, payment_void
from crmconnect.activity.models import Activity, Notification

from ..factories import InvoiceFactory, line
from ..sales.test_services_proposals import listening
from .test_services_invoices import DRAFT_TOTAL, invoice_events

Status = Invoice.Status
DAY = timedelta(days=1)


def pay(actor, mode, amount, **values):
    return payment_record(actor=actor, mode=mode, amount=Decimal(amount), **values)


def issued_invoice(actor, client, amount="100.00", currency="RON", **values):
    """An issued invoice of one line of `amount` at 21 % VAT (121.00 for 100.00)."""
    draft = InvoiceFactory(client=client, assigned_to=client.owner, currency=currency,
                           lines=[line(unit_price=Decimal(amount))], **values)
    return invoice_issue(actor=actor, invoice=draft)


def advance(actor, mode, client, amount, currency="RON", days_ago=0):
    return pay(actor, mode, amount, client=client, currency=currency,
               date=timezone.localdate() - days_ago * DAY)


# --- payments on an invoice --------------------------------------------------------------

def test_a_partial_then_a_final_payment(agent, sales_admin, issued, bank_transfer,
                                        django_capture_on_commit_callbacks):
    with (listening(events.payment_recorded) as recorded,
          listening(events.invoice_paid) as paid,
          django_capture_on_commit_callbacks(execute=True)):
        first = pay(sales_admin, bank_transfer, "500.00", invoice=issued,
                    transaction_reference="OP 1182")
        issued.refresh_from_db()
        assert (issued.status, issued.amount_paid, issued.balance) == (
            Status.PARTIALLY_PAID, Decimal("500.00"), DRAFT_TOTAL - 500)
        assert paid == []
        second = pay(sales_admin, bank_transfer, issued.balance, invoice=issued)
    issued.refresh_from_db()
    assert (issued.status, issued.amount_paid, issued.balance) == (Status.PAID, DRAFT_TOTAL, 0)
    assert (first.client, first.currency, first.recorded_by) == (issued.client, "RON",
                                                                 sales_admin)
    assert (first.allocated, first.unallocated) == (Decimal("500.00"), 0)
    assert [(row.payment, row.amount) for row in issued.allocations.all()] == [
        (first, Decimal("500.00")), (second, DRAFT_TOTAL - 500)]
    assert [call["payment"] for call in recorded] == [first, second]
    assert [(call["invoice"], call["actor"]) for call in paid] == [(issued, sales_admin)]
    assert [row.changes for row in invoice_events(issued, "invoice.paid_amount")
            .order_by("id")] == [{"status": ["Unpaid", "Partially Paid"]},
                                 {"status": ["Partially Paid", "Paid"]}]
    assert Activity.objects.get(event="payment.recorded", object_id=first.pk).description == (
        "Payment CHT000001 of 500.00 RON by Bank transfer on invoice CRM000001")
    assert Notification.objects.get(recipient=agent).message == (
        f"Invoice CRM000001 ({issued.client}) is paid.")
    with pytest.raises(ValidationError, match="Paid: there is nothing to pay"):
        pay(sales_admin, bank_transfer, "1.00", invoice=issued)


def test_receipt_numbers_are_consecutive_and_a_refusal_uses_none(sales_admin, account, issued,
                                                                 bank_transfer):
    numbers = [pay(sales_admin, bank_transfer, "10.00", invoice=issued).receipt_number]
    with pytest.raises(ValidationError):
        pay(sales_admin, bank_transfer, "99999.00", invoice=issued)
    numbers.append(advance(sales_admin, bank_transfer, account, "50.00").receipt_number)
    numbers.append(pay(sales_admin, bank_transfer, "10.00", invoice=issued).receipt_number)
    assert numbers == ["CHT000001", "CHT000002", "CHT000003"]
    assert Series.objects.get(prefix="CHT").next_number == 4


def test_without_a_receipt_series_payments_have_no_receipt_number(sales_admin, issued,
                                                                  bank_transfer):
    Series.objects.filter(prefix="CHT").update(is_default=False)
    payment = pay(sales_admin, bank_transfer, "10.00", invoice=issued)
    assert (payment.receipt_number, str(payment)) == ("", f"Payment {payment.pk}")


def test_a_payment_above_the_balance_is_refused_unless_the_excess_becomes_credit(
        sales_admin, account, issued, bank_transfer):
    with pytest.raises(ValidationError) as refused:
        pay(sales_admin, bank_transfer, "2000.00", invoice=issued)
    assert "record at most that" in refused.value.message_dict["amount"][0]
    assert not Payment.objects.exists()
    payment = pay(sales_admin, bank_transfer, "2000.00", invoice=issued, excess_to_credit=True)
    issued.refresh_from_db()
    assert issued.status == Status.PAID and issued.amount_paid == DRAFT_TOTAL
    assert (payment.allocated, payment.unallocated) == (DRAFT_TOTAL, Decimal("326.01"))
    assert client_credit(account) == {"RON": Decimal("326.01")}
    assert list(Payment.objects.credit()) == [payment]


def test_overpayments_refused_when_billing_settings_say_so(sales_admin, account, issued,
                                                           bank_transfer):
    config = BillingSettings.load()
    config.allow_overpayment_to_credit = False
    config.save()
    with pytest.raises(ValidationError, match="not kept as credit"):
        pay(sales_admin, bank_transfer, "2000.00", invoice=issued, excess_to_credit=True)
    # The gateway (no actor) was paid the amount already: it is recorded whatever the setting.
    payment = pay(None, bank_transfer, "2000.00", invoice=issued, excess_to_credit=True,
                  gateway_reference="cs_test_1")
    assert payment.unallocated == Decimal("326.01") and payment.recorded_by is None


def test_payment_refusals(agent, sales_admin, account, draft, bank_transfer):
    with pytest.raises(ValidationError, match="Draft: there is nothing to pay"):
        pay(sales_admin, bank_transfer, "10.00", invoice=draft)
    invoice = invoice_issue(actor=sales_admin, invoice=draft)
    with pytest.raises(PermissionDenied):  # agents see payments, the back office records them
        pay(agent, bank_transfer, "10.00", invoice=invoice)
    for amount in ("0", "-5.00"):
        with pytest.raises(ValidationError) as refused:
            pay(sales_admin, bank_transfer, amount, invoice=invoice)
        assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        pay(sales_admin, bank_transfer, "10.00", invoice=invoice,
            date=timezone.localdate() + DAY)
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError, match="Choose the client and the currency"):
        pay(sales_admin, bank_transfer, "10.00", client=account)
    assert not Payment.objects.exists() and Series.objects.get(prefix="CHT").next_number == 1


def test_scope_a_payment_on_another_agents_invoice_or_client(agent, other_agent, account,
                                                             issued, bank_transfer):
    """Out of scope is refused even with the permission to record payments."""
    other_agent.user_permissions.add(Permission.objects.get(codename="add_payment"))
    other_agent = type(other_agent).objects.get(pk=other_agent.pk)  # fresh permission cache
    with pytest.raises(PermissionDenied):
        pay(other_agent, bank_transfer, "10.00", invoice=issued)
    with pytest.raises(PermissionDenied):
        advance(other_agent, bank_transfer, account, "10.00")
    issued.refresh_from_db()
    assert issued.amount_paid == 0 and not Payment.objects.exists()


# --- advances and client credit ----------------------------------------------------------

def test_credit_is_applied_oldest_payment_first_across_invoices(
        sales_admin, account, bank_transfer):
    older = advance(sales_admin, bank_transfer, account, "100.00", days_ago=10)
    newer = advance(sales_admin, bank_transfer, account, "500.00", days_ago=2)
    assert client_credit(account) == {"RON": Decimal("600.00")}
    small = issued_invoice(sales_admin, account, "100.00")       # 121.00
    large = issued_invoice(sales_admin, account, "1000.00")      # 1210.00
    third = issued_invoice(sales_admin, account, "10.00")

    assert credit_apply(actor=sales_admin, invoice=small) == Decimal("121.00")
    assert [(row.payment, row.amount) for row in small.allocations.all()] == [
        (older, Decimal("100.00")), (newer, Decimal("21.00"))]
    assert credit_apply(actor=sales_admin, invoice=large) == Decimal("479.00")
    small.refresh_from_db()
    large.refresh_from_db()
    assert (small.status, large.status) == (Status.PAID, Status.PARTIALLY_PAID)
    assert large.balance == Decimal("731.00")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.allocated, newer.allocated) == (Decimal("100.00"), Decimal("500.00"))
    assert client_credit(account) == {}
    with pytest.raises(ValidationError, match="has no credit in RON"):
        credit_apply(actor=sales_admin, invoice=third)
    third.refresh_from_db()
    assert third.amount_paid == 0


def test_credit_applied_up_to_an_amount(sales_admin, account, bank_transfer):
    advance(sales_admin, bank_transfer, account, "500.00")
    invoice = issued_invoice(sales_admin, account, "100.00")
    assert credit_apply(actor=sales_admin, invoice=invoice, amount="50.00") == Decimal("50.00")
    assert credit_apply(actor=sales_admin, invoice=invoice, amount="1000") == Decimal("71.00")
    invoice.refresh_from_db()
    assert invoice.status == Status.PAID
    assert client_credit(account) == {"RON": Decimal("379.00")}
    with pytest.raises(PermissionDenied):
        credit_apply(actor=invoice.assigned_to, invoice=invoice)


def test_credit_in_another_currency_is_not_applied(sales_admin, account, bank_transfer):
    advance(sales_admin, bank_transfer, account, "200.00", currency="EUR")
    ron = issued_invoice(sales_admin, account, "100.00")
    with pytest.raises(ValidationError, match="has no credit in RON"):
        credit_apply(actor=sales_admin, invoice=ron)
    assert client_credit(account) == {"EUR": Decimal("200.00")}
    assert client_credit(account, "RON") == {}
    eur = issued_invoice(sales_admin, account, "100.00", currency="EUR",
                         exchange_rate=Decimal("4.9765"))
    assert credit_apply(actor=sales_admin, invoice=eur) == Decimal("121.00")
    assert client_credit(account) == {"EUR": Decimal("79.00")}
    ron.refresh_from_db()
    assert ron.amount_paid == 0


def test_an_excess_on_one_invoice_pays_the_next(sales_admin, account, bank_transfer):
    first = issued_invoice(sales_admin, account, "100.00")
    second = issued_invoice(sales_admin, account, "100.00")
    payment = pay(sales_admin, bank_transfer, "200.00", invoice=first, excess_to_credit=True)
    assert credit_apply(actor=sales_admin, invoice=second) == Decimal("79.00")
    payment.refresh_from_db()
    assert payment.allocated == payment.amount and payment.unallocated == 0
    assert sorted(row.invoice.number for row in payment.allocations.all()) == [
        "CRM000001", "CRM000002"]


# --- voiding -----------------------------------------------------------------------------

def test_void_takes_the_money_off_the_invoices_it_paid(
        sales_admin, finance, account, bank_transfer, django_capture_on_commit_callbacks):
    first = issued_invoice(sales_admin, account, "100.00")
    second = issued_invoice(sales_admin, account, "100.00")
    payment = pay(sales_admin, bank_transfer, "150.00", invoice=first, excess_to_credit=True)
    credit_apply(actor=sales_admin, invoice=second)
    other = pay(sales_admin, bank_transfer, "50.00", invoice=second)
    with pytest.raises(PermissionDenied):  # a Sales Admin records, Finance voids
        payment_void(actor=sales_admin, payment=payment, reason="Bank returned it")
    with pytest.raises(ValidationError) as refused:
        payment_void(actor=finance, payment=payment, reason="")
    assert "reason" in refused.value.message_dict

    with (listening(events.payment_voided) as voided,
          django_capture_on_commit_callbacks(execute=True)):
        payment_void(actor=finance, payment=payment, reason="Bank returned it")
    first.refresh_from_db()
    second.refresh_from_db()
    payment.refresh_from_db()
    assert (first.status, first.amount_paid) == (Status.UNPAID, 0)
    assert (second.status, second.amount_paid) == (Status.PARTIALLY_PAID, Decimal("50.00"))
    assert (payment.allocated, payment.unallocated, payment.receipt_number) == (0, 0,
                                                                                "CHT000001")
    assert payment.voided_at is not None and payment.void_reason == "Bank returned it"
    assert not PaymentAllocation.objects.filter(payment=payment).exists()
    assert list(PaymentAllocation.objects.values_list("payment", flat=True)) == [other.pk]
    assert [call["payment"] for call in voided] == [payment]
    assert invoice_events(first, "invoice.payment_voided").get().changes == {
        "status": ["Paid", "Unpaid"]}
    assert invoice_events(second, "invoice.payment_voided").get().changes == {}
    with pytest.raises(ValidationError, match="already voided"):
        payment_void(actor=finance, payment=payment, reason="Again")


def test_a_voided_advance_is_not_credit(sales_admin, finance, account, bank_transfer):
    payment = advance(sales_admin, bank_transfer, account, "300.00")
    payment_void(actor=finance, payment=payment, reason="Recorded on the wrong client")
    assert client_credit(account) == {} and not Payment.objects.credit().exists()
    invoice = issued_invoice(sales_admin, account, "100.00")
    with pytest.raises(ValidationError, match="has no credit"):
        credit_apply(actor=sales_admin, invoice=invoice)


def test_voiding_a_payment_of_a_past_due_invoice_makes_it_overdue(sales_admin, finance, account,
                                                                  bank_transfer):
    today = timezone.localdate()
    invoice = issued_invoice(sales_admin, account, "100.00", date=today - 30 * DAY,
                             due_date=today - 15 * DAY)
    assert invoice.status == Status.OVERDUE
    payment = pay(sales_admin, bank_transfer, "121.00", invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == Status.PAID
    payment_void(actor=finance, payment=payment, reason="Cheque bounced")
    invoice.refresh_from_db()
    assert invoice.status == Status.OVERDUE and invoice.balance == Decimal("121.00")
