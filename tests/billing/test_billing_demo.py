"""The demo invoices and payments (billing/demo.py): every status a back office sees, made
through the services (numbers consecutive, conversions linked, credit applied), and safe to
seed twice."""

import io
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing import demo
from billing.models import Invoice, Payment, PaymentAllocation
from billing.services.payments import client_credit
from crmconnect.activity.models import Activity
from crmconnect.company.models import CompanySettings
from sales.models import Proposal, SalesOrder

Status = Invoice.Status


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_invoices_in_every_status_made_through_the_services(seeded):
    assert Counter(Invoice.objects.values_list("status", flat=True)) == {
        Status.PAID: 12, Status.PARTIALLY_PAID: 4, Status.OVERDUE: 3, Status.UNPAID: 7,
        Status.DRAFT: 2, Status.CANCELLED: 1}
    issued = Invoice.objects.exclude(status=Status.DRAFT)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, 28))
    assert all(invoice.buyer["name"] == invoice.client.name and invoice.assigned_to ==
               invoice.client.owner and invoice.total > 0 for invoice in issued)
    unpaid = Invoice.objects.filter(status=Status.UNPAID)
    assert sorted(unpaid.values_list("sent", flat=True)) == [False] * 2 + [True] * 5
    today = timezone.localdate()
    assert all(invoice.due_date < today for invoice in Invoice.objects.filter(
        status=Status.OVERDUE))
    late = Invoice.objects.get(client__name="Bega Construct SRL", notes__endswith="month 1 of 3")
    assert late.status == Status.OVERDUE and late.days_overdue() == 50
    assert timezone.localtime(late.issued_at).date() == late.date == today - 65 * demo.DAY
    partly = Invoice.objects.get(client__name="Litoral Turism SRL", notes__endswith="month 1 of 3")
    assert partly.status == Status.PARTIALLY_PAID and partly.is_overdue()
    assert partly.allocations.get().payment.mode.kind == "card"
    assert partly.amount_paid == (partly.total * Decimal("0.4")).quantize(Decimal(1), ROUND_HALF_UP)
    cancelled = Invoice.objects.get(status=Status.CANCELLED)
    assert cancelled.cancel_reason.startswith("Issued twice") and cancelled.full_number


def test_payments_and_the_advance_kept_as_credit(seeded):
    assert Payment.objects.count() == 16
    assert sorted(Payment.objects.values_list("receipt_sequence", flat=True)) == list(
        range(1, 17))
    for invoice in Invoice.objects.exclude(status=Status.DRAFT):
        paid = sum(row.amount for row in invoice.allocations.all())
        assert invoice.amount_paid == paid, invoice
    advance = Payment.objects.get(note=demo.ADVANCE[2])
    project = Invoice.objects.get(notes=demo.ADVANCE[4])
    assert project.status == Status.PAID
    assert PaymentAllocation.objects.get(invoice=project).payment == advance
    assert client_credit(advance.client) == {"RON": Decimal("8000.00") - project.total}
    assert Payment.objects.credit().get() == advance


def test_invoices_converted_from_proposals_and_an_order(seeded):
    audit = Proposal.objects.get(subject="Network security audit")
    assert audit.status == Proposal.Status.ACCEPTED and audit.invoice.status == Status.DRAFT
    assert [row.item.code for row in audit.invoice.lines.all()] == ["SRV-GDPR-AUD", "SRV-CONS"]
    training = Proposal.objects.get(subject="Staff training, spring session")
    assert training.invoice.status == Status.PAID
    assert training.invoice.date == timezone.localdate() - 40 * demo.DAY
    order = SalesOrder.objects.get(client_reference=demo.ORDER[0])
    assert order.status == SalesOrder.Status.INVOICED
    assert order.invoice.status == Status.PARTIALLY_PAID and order.invoice.total == order.total


def test_a_second_seed_adds_nothing(seeded):
    counts = (Invoice.objects.count(), Payment.objects.count(), Activity.objects.count())
    assert demo.seed_demo() == {"invoices": 0, "payments": 0}
    assert (Invoice.objects.count(), Payment.objects.count(),
            Activity.objects.count()) == counts


def test_the_company_tax_data_is_completed_not_overwritten(seeded):
    company = CompanySettings.load()
    company.legal_name, company.cui, company.iban = "Renamed SRL", "", ""
    company.save()
    demo.seed_demo()
    company = CompanySettings.load()
    assert company.legal_name == "Renamed SRL"
    assert (company.cui, company.iban) == (demo.COMPANY["cui"], demo.COMPANY["iban"])
