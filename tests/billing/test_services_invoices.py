"""The invoice services (billing/services/invoices.py): made directly or converted from an
accepted proposal or a confirmed order, edited and deleted while drafts, issued with the next
number of the series and the parties frozen, sent, cancelled."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from billing import events
from billing.models import Invoice, PaymentMode, Series
from billing.services.invoices import (
    MissingTaxData,
    invoice_cancel,
    invoice_create,
    invoice_delete,
    invoice_from_order,
    invoice_from_proposal,
    invoice_issue,
    invoice_mark_sent,
    invoice_regenerate_link,
    invoice_send,
    invoice_update,
    recipient_email,
)
from billing.services.payments import payment_record
from crmconnect.activity.models import Activity, Notification
from crmconnect.core.portal import token_digest
from crmconnect.staff import roles
from sales.models import Proposal, SalesOrder
from sales.services.orders import sales_order_confirm, sales_order_create, sales_order_from_proposal

from ..factories import (
    ContactFactory,
    InvoiceFactory,
    LeadFactory,
    ProposalFactory,
    TaxedClientFactory,
    UserFactory,
    line,
)
from ..sales.conftest import with_link
from ..sales.test_services_proposals import listening

Status = Invoice.Status
DAY = timedelta(days=1)
DRAFT_TOTAL = Decimal("1673.99")  # 1200.00 + 252.00 VAT at 21 %, 199.99 + 22.00 VAT at 11 %


def invoice_events(invoice, event=None):
    rows = Activity.objects.filter(content_type__model="invoice", object_id=invoice.pk)
    return rows.filter(event=event) if event else rows


def accepted_proposal(agent, client, **values):
    proposal = ProposalFactory(client=client, assigned_to=agent, created_by=agent, **values)
    with_link(proposal, Proposal.Status.ACCEPTED)
    return proposal


def confirmed_order(agent, client, proposal=None):
    """A confirmed order of the agent (from `proposal` when given); a manager confirms it."""
    if proposal is not None:
        order = sales_order_from_proposal(actor=agent, proposal=proposal)
    else:
        order = sales_order_create(actor=agent, client=client, client_reference="PO-2026-7",
                                   lines=[line(description="Rack servers", quantity=Decimal(2),
                                               unit_price=Decimal("2500.00"))])
    return sales_order_confirm(actor=UserFactory(role=roles.SALES_MANAGER), order=order)


def create(actor, client, **values):
    return invoice_create(actor=actor, client=client,
                          lines=values.pop("lines", [line(unit_price=Decimal("100.00"))]),
                          **values)


# --- made directly -----------------------------------------------------------------------

def test_create_applies_the_billing_defaults(agent, account, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with (listening(events.invoice_created) as created,
          django_capture_on_commit_callbacks(execute=True)):
        invoice = create(agent, account, date=today)
    assert (invoice.status, invoice.assigned_to, invoice.created_by) == (Status.DRAFT, agent,
                                                                         agent)
    assert invoice.number == f"DRAFT-{invoice.pk:06d}" and invoice.sequence is None
    assert invoice.due_date == today + 15 * DAY
    assert invoice.payment_terms.startswith("Payment by bank transfer")
    assert invoice.series == Series.objects.get(document_type="invoice", is_default=True)
    assert set(invoice.payment_modes.all()) == set(PaymentMode.objects.filter(active=True))
    assert (invoice.subtotal, invoice.vat_total, invoice.total) == (
        Decimal("100.00"), Decimal("21.00"), Decimal("121.00"))
    assert [(call["invoice"], call["actor"]) for call in created] == [(invoice, agent)]
    assert invoice_events(invoice, "invoice.created").get().description == (
        f"Invoice {invoice.number}: created for Beta Logistics SRL (121.00 RON)")


def test_create_refusals(agent, other_agent, account):
    with pytest.raises(PermissionDenied):  # an SDR does not invoice
        create(UserFactory(role=roles.SDR), account)
    with pytest.raises(ValidationError) as refused:
        create(other_agent, account)  # not the other agent's client
    assert "client" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        create(agent, None)
    assert "client" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        create(agent, account, contact=ContactFactory())
    assert "contact" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        create(agent, account, date=timezone.localdate(), due_date=timezone.localdate() - DAY)
    assert "due_date" in refused.value.message_dict
    assert not Invoice.objects.exists()


def test_one_vat_rate_for_the_document_is_applied_to_every_line(agent, account):
    invoice = create(agent, account, document_vat_rate=Decimal(11),
                     lines=[line(unit_price=Decimal("100.00"), vat_rate=Decimal(21)),
                            line(unit_price=Decimal("50.00"), vat_rate=Decimal(0))])
    assert [row.vat_rate for row in invoice.lines.all()] == [Decimal(11), Decimal(11)]
    assert (invoice.vat_total, invoice.total) == (Decimal("16.50"), Decimal("166.50"))
    updated = invoice_update(actor=agent, invoice=invoice, document_vat_rate=Decimal(21),
                             lines=[line(unit_price=Decimal("10.00"), vat_rate=Decimal(11))])
    assert updated.lines.get().vat_rate == Decimal(21) and updated.total == Decimal("12.10")


# --- converted from a proposal -----------------------------------------------------------

def test_from_an_accepted_proposal_copies_the_lines_and_links_both_ways(agent, account):
    proposal = accepted_proposal(agent, account, discount_percent=Decimal(5),
                                 terms="Delivery in 10 days")
    invoice = invoice_from_proposal(actor=agent, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.invoice == invoice and invoice.proposal == proposal
    assert (invoice.client, invoice.assigned_to, invoice.discount_percent, invoice.terms) == (
        account, agent, Decimal(5), "Delivery in 10 days")
    copied = [(row.description, row.quantity, row.unit_price, row.vat_rate, row.net)
              for row in invoice.lines.all()]
    assert copied == [(row.description, row.quantity, row.unit_price, row.vat_rate, row.net)
                      for row in proposal.lines.all()]
    assert invoice.total == proposal.total and invoice.status == Status.DRAFT
    assert Activity.objects.filter(event="proposal.invoiced", object_id=proposal.pk,
                                   description__contains=invoice.number).exists()


def test_from_proposal_refusals(agent, other_agent, account):
    proposal = accepted_proposal(agent, account)
    with pytest.raises(PermissionDenied):
        invoice_from_proposal(actor=other_agent, proposal=proposal)
    draft = ProposalFactory(client=account, assigned_to=agent)
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        invoice_from_proposal(actor=agent, proposal=draft)
    invoice = invoice_from_proposal(actor=agent, proposal=proposal)
    with pytest.raises(ValidationError, match=f"already invoice {invoice.number}"):
        invoice_from_proposal(actor=agent, proposal=proposal)
    ordered = accepted_proposal(agent, account)
    sales_order_from_proposal(actor=agent, proposal=ordered)
    with pytest.raises(ValidationError, match="invoice the order"):
        invoice_from_proposal(actor=agent, proposal=ordered)
    for_lead = accepted_proposal(agent, None, lead=LeadFactory(assigned_to=agent))
    with pytest.raises(ValidationError, match="convert the lead to a client first"):
        invoice_from_proposal(actor=agent, proposal=for_lead)
    assert Invoice.objects.count() == 1


# --- converted from a sales order --------------------------------------------------------

def test_from_a_confirmed_order_marks_it_invoiced_and_links_its_proposal(agent, account):
    proposal = accepted_proposal(agent, account)
    order = confirmed_order(agent, account, proposal)
    invoice = invoice_from_order(actor=agent, order=order)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.INVOICED
    assert (invoice.sales_order, invoice.proposal) == (order, proposal)
    assert order.invoice == invoice and Proposal.objects.get(pk=proposal.pk).invoice == invoice
    assert [row.description for row in invoice.lines.all()] == ["Audit", "Training"]
    row = Activity.objects.get(event="salesorder.invoiced", object_id=order.pk)
    assert row.changes == {"status": ["Confirmed", "Invoiced"]}
    with pytest.raises(ValidationError, match=f"already invoice {invoice.number}"):
        invoice_from_order(actor=agent, order=order)


def test_only_a_confirmed_order_is_invoiced(agent, account):
    order = sales_order_create(actor=agent, client=account, lines=[line()])
    with pytest.raises(ValidationError, match="New cannot"):
        invoice_from_order(actor=agent, order=order)
    assert not Invoice.objects.exists()


def test_deleting_the_draft_makes_the_order_invoiceable_again(agent, account, sales_admin):
    order = confirmed_order(agent, account)
    invoice = invoice_from_order(actor=agent, order=order)
    assert invoice.total == Decimal("6050.00")
    with pytest.raises(PermissionDenied):  # agents do not delete invoices
        invoice_delete(actor=agent, invoice=invoice)
    invoice_delete(actor=sales_admin, invoice=invoice)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED and not Invoice.objects.exists()
    assert Activity.objects.get(event="salesorder.invoice_deleted").changes == {
        "status": ["Invoiced", "Confirmed"]}
    assert Activity.objects.get(event="invoice.deleted").description == (
        f"Draft invoice DRAFT-{invoice.pk:06d} deleted")
    assert invoice_from_order(actor=agent, order=order).sales_order == order


# --- drafts ------------------------------------------------------------------------------

def test_update_changes_a_draft_and_logs_the_total(agent, draft):
    updated = invoice_update(actor=agent, invoice=draft, notes="Call before delivery",
                             lines=[line(unit_price=Decimal("1000.00"))])
    assert (updated.notes, updated.total) == ("Call before delivery", Decimal("1210.00"))
    assert invoice_events(draft, "invoice.updated").get().changes == {
        "notes": ["", "Call before delivery"], "total": [str(DRAFT_TOTAL), "1210.00"]}


def test_only_drafts_are_updated_or_deleted(agent, other_agent, sales_admin, draft):
    with pytest.raises(PermissionDenied):
        invoice_update(actor=other_agent, invoice=draft, lines=[line()])
    invoice_issue(actor=agent, invoice=draft)
    with pytest.raises(ValidationError, match="is issued: it cannot be changed"):
        invoice_update(actor=agent, invoice=draft, lines=[line()])
    with pytest.raises(ValidationError, match="is issued"):
        invoice_delete(actor=sales_admin, invoice=draft)
    draft.refresh_from_db()
    assert draft.total == DRAFT_TOTAL and draft.lines.count() == 2


# --- issuing -----------------------------------------------------------------------------

def test_issue_takes_consecutive_numbers_and_freezes_the_parties(
        agent, account, draft, django_capture_on_commit_callbacks):
    with (listening(events.invoice_issued) as issued,
          django_capture_on_commit_callbacks(execute=True)):
        first = invoice_issue(actor=agent, invoice=draft)
    second = invoice_issue(actor=agent, invoice=InvoiceFactory(client=account,
                                                                 assigned_to=agent))
    assert (first.number, second.number) == ("CRM000001", "CRM000002")
    assert (first.sequence, second.sequence) == (1, 2)
    assert Series.objects.get(prefix="CRM").next_number == 3
    assert (first.status, first.sent) == (Status.UNPAID, False) and first.issued_at is not None
    assert [call["invoice"] for call in issued] == [first]
    assert invoice_events(first, "invoice.issued").get().changes == {
        "status": ["Draft", "Unpaid"], "number": ["", "CRM000001"]}

    assert first.buyer["name"] == "Beta Logistics SRL" and first.buyer["cui"] == account.cui
    account.name, account.street = "Beta Logistics Renamed SRL", "Str. Nouă 1"
    account.save()
    first.refresh_from_db()
    assert first.buyer["name"] == "Beta Logistics SRL"
    assert "Str. Memorandumului 28" in " ".join(first.buyer["address_lines"])


@pytest.mark.parametrize(("field", "value", "missing"), [
    ("cui", "", "the CUI/CIF"),
    ("street", "", "the street and city"),
    ("county", "", "the county"),
    ("vat_regime", "", "the VAT regime"),
])
def test_issue_refuses_a_client_without_tax_data(agent, account, draft, field, value, missing):
    setattr(account, field, value)
    account.save()
    with pytest.raises(MissingTaxData, match=missing) as refused:
        invoice_issue(actor=agent, invoice=draft)
    assert refused.value.client == account
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.sequence is None
    assert Series.objects.get(prefix="CRM").next_number == 1  # no number used up


def test_issue_refusals(agent, other_agent, account, draft):
    with pytest.raises(PermissionDenied):  # an SDR may not issue
        invoice_issue(actor=UserFactory(role=roles.SDR), invoice=draft)
    with pytest.raises(PermissionDenied):  # not the other agent's invoice
        invoice_issue(actor=other_agent, invoice=draft)
    free = InvoiceFactory(client=account, assigned_to=agent,
                          lines=[line(unit_price=Decimal("0.00"))])
    with pytest.raises(ValidationError, match="total above zero"):
        invoice_issue(actor=agent, invoice=free)
    Series.objects.filter(prefix="CRM").update(active=False)
    with pytest.raises(ValidationError, match="No active default series"):
        invoice_issue(actor=agent, invoice=draft)
    Series.objects.filter(prefix="CRM").update(active=True)
    Invoice.objects.filter(pk=draft.pk).update(series=Series.objects.get(prefix="CHT"))
    with pytest.raises(ValidationError, match="Choose an invoice series"):
        invoice_issue(actor=agent, invoice=draft)
    assert not Invoice.objects.exclude(status=Status.DRAFT).exists()
    assert Series.objects.get(prefix="CRM").next_number == 1


def test_an_issued_invoice_is_not_issued_again(agent, issued):
    with pytest.raises(ValidationError, match="is issued"):
        invoice_issue(actor=agent, invoice=issued)
    assert Series.objects.get(prefix="CRM").next_number == 2


def test_each_series_counts_on_its_own(agent, account, draft):
    other = Series.objects.create(document_type="invoice", name="Export", prefix="EXP",
                                  padding=4, next_number=41)
    exported = InvoiceFactory(client=account, assigned_to=agent, series=other)
    assert invoice_issue(actor=agent, invoice=exported).number == "EXP0041"
    assert invoice_issue(actor=agent, invoice=draft).number == "CRM000001"


def test_events_are_sent_on_commit_only(agent, account, django_capture_on_commit_callbacks):
    with (listening(events.invoice_created) as created,
          django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        create(agent, account)
        raise RuntimeError("rolled back")
    assert (callbacks, created) == ([], [])
    assert not Invoice.objects.exists() and not Activity.objects.exists()
    with listening(events.invoice_created) as created:
        with django_capture_on_commit_callbacks() as callbacks:
            create(agent, account)
        assert created == [] and len(callbacks) == 1
        callbacks[0]()
    assert len(created) == 1


# --- sending -----------------------------------------------------------------------------

def test_send_marks_sent_and_each_new_link_revokes_the_old(
        agent, manager, issued, django_capture_on_commit_callbacks):
    with listening(events.invoice_sent) as sent:
        with django_capture_on_commit_callbacks() as callbacks:
            link = invoice_send(actor=manager, invoice=issued)
        assert sent == []  # nothing before the commit
        # The first callback queues the email job (tested with a real worker and SMTP
        # server in test_invoice_email.py); the second tells the subscribers.
        assert len(callbacks) == 2
        callbacks[1]()
    assert [(call["invoice"], call["by_email"]) for call in sent] == [(issued, True)]
    issued.refresh_from_db()
    assert issued.sent and issued.sent_at is not None
    token = link.rsplit("/", 2)[-2]
    assert issued.token_hash == token_digest(token)
    assert invoice_events(issued, "invoice.sent").get().changes == {"sent": ["Not Sent", "Sent"]}
    assert Notification.objects.get(recipient=agent).message == (
        f"Invoice CRM000001 was sent to {issued.client}.")

    again = invoice_send(actor=agent, invoice=issued)
    issued.refresh_from_db()
    assert again != link and issued.token_hash == token_digest(again.rsplit("/", 2)[-2])
    assert issued.token_hash != token_digest(token)
    renewed = invoice_regenerate_link(actor=agent, invoice=issued)
    issued.refresh_from_db()
    assert issued.token_hash == token_digest(renewed.rsplit("/", 2)[-2])
    assert invoice_events(issued, "invoice.sent").count() == 2
    assert invoice_events(issued, "invoice.sent").first().changes == {}  # already "Sent"


def test_the_email_goes_to_the_contact_else_the_client(account, draft):
    assert recipient_email(draft) == account.email
    draft.contact = account.primary_contact
    assert recipient_email(draft) == "ioana@beta.example.com"


def test_send_refusals(agent, other_agent, account, draft, settings):
    with pytest.raises(ValidationError, match="Issue the invoice first"):
        invoice_send(actor=agent, invoice=draft)
    issued = invoice_issue(actor=agent, invoice=draft)
    with pytest.raises(PermissionDenied):
        invoice_send(actor=other_agent, invoice=issued)
    with pytest.raises(PermissionDenied):  # an SDR does not send invoices
        invoice_send(actor=UserFactory(role=roles.SDR), invoice=issued)
    account.email = ""
    account.save()
    with pytest.raises(ValidationError, match="has no email address"):
        invoice_send(actor=agent, invoice=issued)
    account.email = "accounts@beta.example.com"
    account.save()
    settings.EMAIL_URL_GIVEN = False  # and no SMTP server in Company settings
    with pytest.raises(ValidationError, match="Email is not set up"):
        invoice_send(actor=agent, invoice=issued)
    issued.refresh_from_db()
    assert not issued.sent and issued.token_hash == ""
    assert not invoice_events(issued, "invoice.sent").exists()


def test_mark_sent_without_email(agent, issued, django_capture_on_commit_callbacks):
    with (listening(events.invoice_sent) as sent,
          django_capture_on_commit_callbacks(execute=True)):
        invoice_mark_sent(actor=agent, invoice=issued)
    issued.refresh_from_db()
    assert issued.sent and issued.token_hash == ""
    assert [call["by_email"] for call in sent] == [False]
    assert invoice_events(issued, "invoice.marked_sent").get().changes == {
        "sent": ["Not Sent", "Sent"]}
    with pytest.raises(ValidationError, match="already marked as sent"):
        invoice_mark_sent(actor=agent, invoice=issued)


# --- cancelling --------------------------------------------------------------------------

def test_cancel_needs_a_reason_and_the_permission(
        agent, sales_admin, issued, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        invoice_cancel(actor=sales_admin, invoice=issued, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):  # agents do not cancel invoices
        invoice_cancel(actor=agent, invoice=issued, reason="Duplicate")
    with (listening(events.invoice_cancelled) as cancelled,
          django_capture_on_commit_callbacks(execute=True)):
        invoice_cancel(actor=sales_admin, invoice=issued, reason="Duplicate of CRM000002")
    issued.refresh_from_db()
    assert (issued.status, issued.cancel_reason) == (Status.CANCELLED, "Duplicate of CRM000002")
    assert issued.cancelled_at is not None and issued.full_number == "CRM000001"
    assert [call["invoice"] for call in cancelled] == [issued]
    assert invoice_events(issued, "invoice.cancelled").get().changes == {
        "status": ["Unpaid", "Cancelled"]}
    with pytest.raises(ValidationError, match="Cancelled cannot"):
        invoice_cancel(actor=sales_admin, invoice=issued, reason="Again")
    with pytest.raises(ValidationError, match="A cancelled invoice is not sent"):
        invoice_send(actor=agent, invoice=issued)


def test_cancel_refuses_an_invoice_with_payments_and_a_draft(sales_admin, account, issued,
                                                             bank_transfer):
    payment_record(actor=sales_admin, invoice=issued, amount=Decimal("100.00"),
                   mode=bank_transfer)
    with pytest.raises(ValidationError, match="has payments"):
        invoice_cancel(actor=sales_admin, invoice=issued, reason="Wrong client")
    draft = InvoiceFactory(client=account)
    with pytest.raises(ValidationError, match="Draft cannot"):
        invoice_cancel(actor=sales_admin, invoice=draft, reason="Not needed")
    issued.refresh_from_db()
    assert issued.status == Status.PARTIALLY_PAID


def test_a_client_without_tax_data_is_named_by_the_refusal(agent):
    person = TaxedClientFactory(owner=agent, kind="person", cui="", county="")
    draft = InvoiceFactory(client=person, assigned_to=agent)
    with pytest.raises(MissingTaxData) as refused:
        invoice_issue(actor=agent, invoice=draft)
    assert refused.value.client == person
    assert refused.value.messages == [f"{person} is missing the county: complete the client "
                                      "record before issuing the invoice."]
