"""Billing under concurrent requests, on PostgreSQL (row locks are what is tested; SQLite
serialises every writer). Each thread has its own database connection and all start together
at a barrier: numbers stay consecutive and unique, an invoice is never paid twice, a client's
credit is never applied beyond what was paid.

Run with e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_h4."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from billing.models import Invoice, Payment, PaymentAllocation, Series
from billing.services.invoices import invoice_issue
from billing.services.payments import client_credit, credit_apply, payment_record

from ..factories import InvoiceFactory, line
from .test_services_payments import advance, issued_invoice

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True)]
Status = Invoice.Status


def at_once(calls):
    """Run each of `calls` (no-argument functions) in its own thread, all released together;
    return what each returned or raised, in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test checks)
            outcomes[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(index, call))
               for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return outcomes


def warmed(user):
    """The user with their permissions loaded once, before threads share the object."""
    user.has_perm("billing.view_invoice")
    return user


def test_fifty_drafts_issued_at_once_get_fifty_consecutive_numbers(sales_admin, account):
    actor = warmed(sales_admin)
    drafts = [InvoiceFactory(client=account, assigned_to=account.owner,
                             lines=[line(unit_price=Decimal(10 + n))]) for n in range(50)]
    outcomes = at_once([lambda draft=draft: invoice_issue(actor=actor, invoice=draft)
                        for draft in drafts])
    assert [type(outcome) for outcome in outcomes] == [Invoice] * 50, outcomes
    rows = list(Invoice.objects.values_list("sequence", "full_number", "status"))
    assert sorted(sequence for sequence, _, _ in rows) == list(range(1, 51))
    assert sorted(number for _, number, _ in rows) == [f"CRM{n:06d}" for n in range(1, 51)]
    assert {status for _, _, status in rows} == {Status.UNPAID}
    assert Series.objects.get(prefix="CRM").next_number == 51


def test_twenty_payments_of_the_full_balance_at_once_pay_the_invoice_once(
        sales_admin, account, bank_transfer):
    actor = warmed(sales_admin)
    invoice = issued_invoice(actor, account, "1000.00")  # 1210.00
    outcomes = at_once([lambda: payment_record(actor=actor, invoice=invoice, mode=bank_transfer,
                                               amount=invoice.balance)] * 20)
    payments = [outcome for outcome in outcomes if isinstance(outcome, Payment)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(payments), len(refused)) == (1, 19), outcomes
    assert all("Paid: there is nothing to pay" in str(exc) for exc in refused)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance) == (
        Status.PAID, invoice.total, 0)
    assert Payment.objects.get().receipt_number == "CHT000001"
    assert Series.objects.get(prefix="CHT").next_number == 2
    assert client_credit(account) == {}


def test_ten_invoices_taking_the_same_credit_at_once_never_take_more_than_it(
        sales_admin, account, bank_transfer):
    actor = warmed(sales_admin)
    older = advance(actor, bank_transfer, account, "300.00", days_ago=3)
    newer = advance(actor, bank_transfer, account, "200.00", days_ago=1)
    invoices = [issued_invoice(actor, account, "100.00") for _ in range(10)]  # 121.00 each
    outcomes = at_once([lambda invoice=invoice: credit_apply(actor=actor, invoice=invoice)
                        for invoice in invoices])
    applied = [outcome for outcome in outcomes if isinstance(outcome, Decimal)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Decimal)]
    assert sum(applied) == Decimal("500.00"), outcomes
    assert all(isinstance(exc, ValidationError) and "has no credit" in str(exc)
               for exc in refused), refused
    # 4 invoices × 121.00 and 16.00 of a fifth: four Paid, one Partially Paid, five untouched.
    statuses = sorted(Invoice.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.PAID] * 4 + [Status.PARTIALLY_PAID] + [Status.UNPAID] * 5)
    assert Invoice.objects.aggregate(paid=Sum("amount_paid"))["paid"] == Decimal("500.00")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.allocated, newer.allocated) == (Decimal("300.00"), Decimal("200.00"))
    assert PaymentAllocation.objects.aggregate(total=Sum("amount"))["total"] == Decimal("500.00")
    assert client_credit(account) == {}
