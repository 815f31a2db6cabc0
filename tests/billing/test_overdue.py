"""The nightly overdue job (services.invoices.invoices_mark_overdue, beat task
billing.tasks.mark_overdue_invoices) and the overdue status following the money: Unpaid past
the due date becomes Overdue (4) once however often the job runs; Partially Paid stays 3; a
payment on an Overdue invoice makes it 3 or 2; a back-dated invoice is Overdue when issued."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from billing import events
from billing.models import Invoice
from billing.services.invoices import invoice_issue, invoices_mark_overdue
from billing.tasks import mark_overdue_invoices
from crmconnect.activity.models import Activity

from ..factories import InvoiceFactory, line
from ..sales.test_send_email import wait_for
from ..sales.test_services_proposals import listening
from .test_services_invoices import invoice_events
from .test_services_payments import pay

Status = Invoice.Status
DAY = timedelta(days=1)


def issued_due(actor, client, due_in_days, amount="100.00"):
    """An issued invoice (121.00 for 100.00) due `due_in_days` from today, dated 15 days
    before that."""
    due = timezone.localdate() + due_in_days * DAY
    draft = InvoiceFactory(client=client, assigned_to=client.owner, date=due - 15 * DAY,
                           due_date=due, lines=[line(unit_price=Decimal(amount))])
    return invoice_issue(actor=actor, invoice=draft)


def test_unpaid_past_due_becomes_overdue_once(sales_admin, account,
                                             django_capture_on_commit_callbacks):
    late = issued_due(sales_admin, account, -3)
    due_today = issued_due(sales_admin, account, 0)
    not_yet = issued_due(sales_admin, account, 5)
    assert late.status == Status.OVERDUE  # settled when issued: see the back-dated test
    Invoice.objects.filter(pk=late.pk).update(status=Status.UNPAID)  # as issued on time

    with (listening(events.invoice_overdue) as overdue,
          django_capture_on_commit_callbacks(execute=True)):
        assert invoices_mark_overdue() == 1
        assert invoices_mark_overdue() == 0
    statuses = dict(Invoice.objects.values_list("pk", "status"))
    assert (statuses[late.pk], statuses[due_today.pk], statuses[not_yet.pk]) == (
        Status.OVERDUE, Status.UNPAID, Status.UNPAID)
    row = invoice_events(late, "invoice.overdue").get()
    assert row.actor is None and row.changes == {"status": ["Unpaid", "Overdue"]}
    assert row.description == f"Invoice {late.number}: overdue since {late.due_date}"
    assert [call["invoice"].pk for call in overdue] == [late.pk]


def test_the_day_given_decides(sales_admin, account):
    invoice = issued_due(sales_admin, account, 5)
    assert invoices_mark_overdue(today=invoice.due_date) == 0
    assert invoices_mark_overdue(today=invoice.due_date + DAY) == 1
    invoice.refresh_from_db()
    assert invoice.status == Status.OVERDUE and invoice.days_overdue(
        invoice.due_date + 4 * DAY) == 4


def test_partially_paid_past_due_stays_partially_paid(sales_admin, account, bank_transfer):
    invoice = issued_due(sales_admin, account, 2)
    pay(sales_admin, bank_transfer, "21.00", invoice=invoice)
    assert invoices_mark_overdue(today=invoice.due_date + 10 * DAY) == 0
    invoice.refresh_from_db()
    assert invoice.status == Status.PARTIALLY_PAID
    assert invoice.is_overdue(invoice.due_date + DAY)  # still owed past due: listed as overdue
    assert list(Invoice.objects.overdue(invoice.due_date + DAY)) == [invoice]
    assert not Activity.objects.filter(event="invoice.overdue").exists()


def test_paid_draft_and_cancelled_invoices_are_left_alone(sales_admin, account, bank_transfer):
    from billing.services.invoices import invoice_cancel

    paid = issued_due(sales_admin, account, 1)
    pay(sales_admin, bank_transfer, "121.00", invoice=paid)
    cancelled = issued_due(sales_admin, account, 1)
    invoice_cancel(actor=sales_admin, invoice=cancelled, reason="Issued twice")
    draft = InvoiceFactory(client=account, due_date=timezone.localdate() - 10 * DAY)
    assert invoices_mark_overdue(today=timezone.localdate() + 30 * DAY) == 0
    assert dict(Invoice.objects.values_list("pk", "status")) == {
        paid.pk: Status.PAID, cancelled.pk: Status.CANCELLED, draft.pk: Status.DRAFT}


def test_a_payment_on_an_overdue_invoice_makes_it_partially_paid_then_paid(
        sales_admin, account, bank_transfer):
    invoice = issued_due(sales_admin, account, -10)
    assert invoice.status == Status.OVERDUE
    pay(sales_admin, bank_transfer, "100.00", invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == Status.PARTIALLY_PAID
    pay(sales_admin, bank_transfer, "21.00", invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == Status.PAID
    assert [row.changes for row in invoice_events(invoice, "invoice.paid_amount")
            .order_by("id")] == [{"status": ["Overdue", "Partially Paid"]},
                                 {"status": ["Partially Paid", "Paid"]}]


def test_a_back_dated_invoice_past_its_due_date_is_overdue_when_issued(agent, account):
    invoice = issued_due(agent, account, -1)
    assert invoice.status == Status.OVERDUE and invoice.full_number == "CRM000001"
    assert invoice_events(invoice, "invoice.issued").get().changes == {
        "status": ["Draft", "Overdue"], "number": ["", "CRM000001"]}
    assert invoices_mark_overdue() == 0


def test_the_job_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-invoices"]
    assert entry["task"] == mark_overdue_invoices.name == "billing.tasks.mark_overdue_invoices"


@pytest.mark.django_db(transaction=True)  # the seeded series
def test_the_beat_task_through_a_real_worker(sales_admin, account):
    """The task through the configured broker (in-memory, or Redis when REDIS_URL is set) and
    a real worker thread, twice: the second run changes only what fell due since."""
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    late = issued_due(sales_admin, account, -2)
    on_time = issued_due(sales_admin, account, 3)
    Invoice.objects.filter(pk=late.pk).update(status=Status.UNPAID)  # as issued on time
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        mark_overdue_invoices.delay()
        assert wait_for(lambda: Invoice.objects.filter(pk=late.pk,
                                                       status=Status.OVERDUE).exists())
        # The second run shows it has run by marking an invoice that fell due since.
        later = issued_due(sales_admin, account, 1)
        Invoice.objects.filter(pk=later.pk).update(due_date=timezone.localdate() - DAY)
        mark_overdue_invoices.delay()
        assert wait_for(lambda: Invoice.objects.filter(pk=later.pk,
                                                       status=Status.OVERDUE).exists())
    on_time.refresh_from_db()
    assert on_time.status == Status.UNPAID
    assert invoice_events(late, "invoice.overdue").count() == 1
    assert Activity.objects.filter(event="invoice.overdue").count() == 2
