"""The contract services (sales/services/contracts.py): making, editing, signing, revising and
renewing contracts."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crmconnect.activity.models import Activity, Attachment, Notification
from crmconnect.core.portal import token_digest
from crmconnect.staff import roles
from sales import events
from sales.models import (
    ClientPricing,
    Contract,
    ContractStatus,
    PriceListEntry,
    Proposal,
    SalesOrder,
)
from sales.services import contracts as services
from sales.services.orders import sales_order_cancel, sales_order_create

from ..factories import (
    ClientFactory,
    ContactFactory,
    LeadFactory,
    PriceListFactory,
    ProposalFactory,
    UserFactory,
    line,
)
from ..pdf_reading import pdf_text
from .conftest import with_link
from .test_contract_pdf import make_contract, stored_pdf
from .test_services_proposals import events_of, listening

Kind = ContractStatus.Kind
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def seed_contract_statuses():
    """The seeded statuses and types, again after a transactional test emptied the tables."""
    importlib.import_module("sales.migrations.0005_contract_defaults_and_roles").seed(apps, None)


def contract_events(contract, event=None):
    rows = Activity.objects.filter(content_type=ContentType.objects.get_for_model(Contract),
                                   object_id=contract.pk)
    return rows.filter(event=event) if event else rows


def sign(contract, **values):
    return services.contract_sign(contract=contract, **{
        "signer_name": "Maria Ionescu", "signer_email": "maria@alfa.example.com",
        "signature": "Maria Ionescu", "ip": "203.0.113.7", **values})


def scan(name="signed.pdf", content=b"%PDF-1.4 the scanned copy"):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def contract(agent, account):
    return make_contract(agent, account, contact=account.contacts.get(),
                         lines=[line(description="Monitoring", quantity=Decimal(12),
                                     unit_price=Decimal("1000.00"))])


@pytest.fixture
def accepted(proposal):
    with_link(proposal, Proposal.Status.ACCEPTED)
    Proposal.objects.filter(pk=proposal.pk).update(terms="<p>Payment in 15 days</p>",
                                                   discount_percent=Decimal(5))
    proposal.refresh_from_db()
    return proposal


# --- create ------------------------------------------------------------------------------

def test_create_a_draft_and_log_it(agent, account, django_capture_on_commit_callbacks):
    with (listening(events.contract_created) as created,
          django_capture_on_commit_callbacks(execute=True)):
        contract = make_contract(agent, account, content='<p onclick="x()">Scope</p>')
    assert contract.number == f"CTR-{contract.pk:06d}" and contract.version == 1
    assert contract.status.kind == Kind.DRAFT and not contract.is_signed
    assert (contract.created_by, contract.assigned_to) == (agent, agent)
    assert contract.content == "<p>Scope</p>"
    assert contract.value == Decimal("12000.00") and contract.total == 0
    assert created == [{"contract": contract, "actor": agent, "signal": events.contract_created}]
    assert contract_events(contract, "contract.created").get().actor == agent


def test_with_lines_the_value_is_their_total(contract):
    assert contract.lines.count() == 1
    assert contract.total == Decimal("14520.00") and contract.value == contract.total


def test_create_refusals(agent, other_agent, account):
    with pytest.raises(PermissionDenied):  # Finance reads contracts, never makes them
        make_contract(UserFactory(role=roles.FINANCE), account)
    with pytest.raises(ValidationError) as refused:  # another agent's client
        make_contract(other_agent, account)
    assert "client" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_contract(agent, account, contact=ContactFactory(client=ClientFactory()))
    assert "contact" in refused.value.message_dict
    with pytest.raises(ValidationError, match="end date is before the start date"):
        make_contract(agent, account, end_date=TODAY() - DAY)
    with pytest.raises(ValidationError) as refused:
        make_contract(agent, None)
    assert refused.value.message_dict == {"client": ["Choose the client."]}
    assert not Contract.objects.exists()


# --- from a proposal ---------------------------------------------------------------------

def test_from_an_accepted_proposal_copies_client_lines_terms_and_the_order(agent, accepted):
    from sales.services.orders import sales_order_from_proposal

    order = sales_order_from_proposal(actor=agent, proposal=accepted)
    contract = services.contract_from_proposal(actor=agent, proposal=accepted,
                                               start_date=datetime.date(2028, 2, 29))
    assert (contract.proposal, contract.sales_order, accepted.contract) == (accepted, order,
                                                                           contract)
    assert (contract.client, contract.contact, contract.assigned_to) == (
        accepted.client, accepted.contact, agent)
    assert (contract.subject, contract.terms, contract.discount_percent) == (
        accepted.subject, "<p>Payment in 15 days</p>", Decimal(5))
    assert (contract.start_date, contract.end_date) == (datetime.date(2028, 2, 29),
                                                       datetime.date(2029, 2, 28))
    copied = [(row.description, row.quantity, row.unit_price, row.vat_rate)
              for row in contract.lines.all()]
    assert copied == [(row.description, row.quantity, row.unit_price, row.vat_rate)
                      for row in accepted.lines.all()]
    assert contract.value == contract.total == accepted.totals().total
    assert events_of(accepted, "proposal.contract_created").count() == 1


def test_from_a_proposal_refusals(agent, other_agent, accepted, proposal):
    with pytest.raises(PermissionDenied):
        services.contract_from_proposal(actor=other_agent, proposal=accepted)
    services.contract_from_proposal(actor=agent, proposal=accepted)
    with pytest.raises(ValidationError, match="already has contract"):
        services.contract_from_proposal(actor=agent, proposal=accepted)
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        services.contract_from_proposal(actor=agent, proposal=ProposalFactory(
            client=accepted.client, assigned_to=agent))
    for_lead = ProposalFactory(client=None, lead=LeadFactory(assigned_to=agent),
                               assigned_to=agent)
    with_link(for_lead, Proposal.Status.ACCEPTED)
    with pytest.raises(ValidationError, match="convert the lead to a client first"):
        services.contract_from_proposal(actor=agent, proposal=for_lead)
    assert Contract.objects.count() == 1


# --- update and status -------------------------------------------------------------------

def test_update_logs_the_changes_and_replaces_lines(agent, contract):
    updated = services.contract_update(
        actor=agent, contract=contract, subject="Managed SOC", content="<p>New</p><script>",
        lines=[line(description="SOC", unit_price=Decimal("500.00"))])
    assert updated.subject == "Managed SOC" and updated.content == "<p>New</p>"
    assert updated.value == updated.total == Decimal("605.00")
    changes = contract_events(contract, "contract.updated").get().changes
    assert changes["subject"] == ["Managed security services", "Managed SOC"]
    assert changes["total"] == ["14520.00", "605.00"]


def test_a_signed_contract_cannot_be_edited(agent, contract):
    sign(contract)
    with pytest.raises(ValidationError) as refused:
        services.contract_update(actor=agent, contract=contract, subject="Changed")
    assert refused.value.messages == [services.SIGNED_REFUSAL]
    assert "amendment or a new version" in services.SIGNED_REFUSAL
    contract.refresh_from_db()
    assert contract.subject == "Managed security services"
    assert not contract_events(contract, "contract.updated").exists()


def test_update_refusals(agent, other_agent, contract):
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=other_agent, contract=contract, subject="Mine")
    with pytest.raises(PermissionDenied):  # sees every contract, may change none
        services.contract_update(actor=UserFactory(role=roles.FINANCE), contract=contract,
                                 subject="Finance")
    with pytest.raises(ValidationError) as refused:
        services.contract_update(actor=agent, contract=contract,
                                 contact=ContactFactory(client=ClientFactory()))
    assert "contact" in refused.value.message_dict


def test_change_status_by_hand(agent, contract):
    terminated = ContractStatus.first_of(Kind.TERMINATED)
    services.contract_change_status(actor=agent, contract=contract, status=terminated)
    contract.refresh_from_db()
    assert contract.status == terminated
    assert contract_events(contract, "contract.status_changed").get().changes == {
        "status": ["Draft", "Terminated"]}
    services.contract_change_status(actor=agent, contract=contract, status=terminated)
    assert contract_events(contract, "contract.status_changed").count() == 1  # no change
    with pytest.raises(ValidationError, match="becomes active when it is signed"):
        services.contract_change_status(actor=agent, contract=contract,
                                        status=ContractStatus.first_of(Kind.ACTIVE))


# --- send for signature and sign ---------------------------------------------------------

def test_send_for_signature_gives_a_fresh_link(agent, contract, settings):
    settings.SITE_URL = "https://crm.example.com"
    first = services.contract_send_for_signature(actor=agent, contract=contract)
    second = services.contract_send_for_signature(actor=agent, contract=contract)
    assert first != second and second.startswith("https://crm.example.com/p/contract/")
    contract.refresh_from_db()
    token = second.rstrip("/").rsplit("/", 1)[1]
    assert contract.token_hash == token_digest(token) and token not in contract.token_hash
    assert contract.sent_for_signature_at is not None
    sent = contract_events(contract, "contract.sent_for_signature")
    assert sent.count() == 2
    assert sent.first().description.endswith("sent for signature to maria@alfa.example.com")


def test_send_for_signature_refusals(agent, account, contract):
    with pytest.raises(PermissionDenied):  # no sign_contract permission
        services.contract_send_for_signature(actor=UserFactory(role=roles.FINANCE),
                                             contract=contract)
    no_email = make_contract(agent, ClientFactory(owner=agent, email=""))
    with pytest.raises(ValidationError, match="add one first"):
        services.contract_send_for_signature(actor=agent, contract=no_email)
    sign(contract)
    with pytest.raises(ValidationError, match="already signed"):
        services.contract_send_for_signature(actor=agent, contract=contract)


def test_signing_activates_freezes_the_pdf_and_tells_the_manager(
        agent, contract, django_capture_on_commit_callbacks):
    services.contract_send_for_signature(actor=agent, contract=contract)
    with (listening(events.contract_signed) as signed_events,
          django_capture_on_commit_callbacks(execute=True)):
        signed = sign(contract)
    assert signed.status.kind == Kind.ACTIVE and signed.is_signed
    assert (signed.signer_name, signed.signer_email, signed.signed_ip) == (
        "Maria Ionescu", "maria@alfa.example.com", "203.0.113.7")
    assert re.fullmatch(r"contracts/signed/\d{4}/[0-9a-f]{32}\.pdf", signed.signed_pdf.name)
    stored = stored_pdf(signed)
    assert "Maria Ionescu · maria@alfa.example.com" in pdf_text(stored)
    assert signed.token_hash  # the link stays: the client downloads the signed copy with it
    row = contract_events(contract, "contract.signed").get()
    assert row.actor is None and row.ip_address == "203.0.113.7"
    assert row.changes == {"status": ["Draft", "Active"]}
    assert Notification.objects.filter(recipient=agent, url=contract.get_absolute_url(),
                                       message__contains="signed contract").count() == 1
    assert [(call["contract"], call["actor"]) for call in signed_events] == [(signed, None)]


def test_signing_twice_changes_nothing(contract):
    first = sign(contract)
    again = sign(contract, signer_name="Somebody Else", signature="Somebody Else", ip="10.0.0.1")
    assert (again.signed_at, again.signer_name, again.signed_ip, again.signed_pdf.name) == (
        first.signed_at, "Maria Ionescu", "203.0.113.7", first.signed_pdf.name)
    assert contract_events(contract, "contract.signed").count() == 1
    assert Notification.objects.filter(message__contains="signed contract").count() == 1


def test_signing_refusals(agent, contract):
    with pytest.raises(ValidationError) as refused:
        sign(contract, signer_name=" ")
    assert "signer_name" in refused.value.message_dict
    with pytest.raises(ValidationError, match="must be your name"):
        sign(contract, signature="M. Ionescu")
    services.contract_change_status(actor=agent, contract=contract,
                                    status=ContractStatus.first_of(Kind.TERMINATED))
    with pytest.raises(ValidationError, match="can no longer be signed"):
        sign(contract)
    contract.refresh_from_db()
    assert not contract.is_signed and not contract.signed_pdf


# --- signed on paper ---------------------------------------------------------------------

def test_mark_signed_manually_attaches_the_scan(agent, contract,
                                                django_capture_on_commit_callbacks):
    signed_on = TODAY() - 3 * DAY
    with (listening(events.contract_signed) as signed_events,
          django_capture_on_commit_callbacks(execute=True)):
        signed = services.contract_mark_signed_manually(
            actor=agent, contract=contract, signer_name=" Maria Ionescu ", signed_on=signed_on,
            scan=scan())
    assert signed.status.kind == Kind.ACTIVE and signed.signed_manually
    assert signed.signer_name == "Maria Ionescu"
    assert timezone.localtime(signed.signed_at).date() == signed_on
    attachment = Attachment.objects.get()
    assert (attachment.record, attachment.client, attachment.name, attachment.uploaded_by) == (
        contract, contract.client, "signed.pdf", agent)
    assert attachment.file.read() == b"%PDF-1.4 the scanned copy"
    assert "Signed on paper by Maria Ionescu" in pdf_text(stored_pdf(signed))
    row = contract_events(contract, "contract.signed").get()
    assert row.actor == agent and row.description.endswith("signed on paper by Maria Ionescu")
    assert [call["actor"] for call in signed_events] == [agent]


def test_mark_signed_manually_refusals(agent, other_agent, contract):
    def mark(actor=agent, **values):
        return services.contract_mark_signed_manually(
            actor=actor, contract=contract, **{"signer_name": "Maria Ionescu",
                                               "signed_on": TODAY(), "scan": scan(), **values})

    with pytest.raises(ValidationError) as refused:
        mark(scan=None)
    assert "scan" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        mark(signed_on=TODAY() + DAY)
    assert "signed_on" in refused.value.message_dict
    with pytest.raises(ValidationError, match="not a real .pdf file"):
        mark(scan=scan(content=b"MZ an executable"))
    with pytest.raises(PermissionDenied):
        mark(actor=other_agent)
    contract.refresh_from_db()
    assert not contract.is_signed and not Attachment.objects.exists()
    mark()
    with pytest.raises(ValidationError, match="already signed"):
        mark()
    assert Attachment.objects.count() == 1


# --- amendments and versions -------------------------------------------------------------

@pytest.mark.parametrize("revision, subject", [
    (Contract.Revision.AMENDMENT, "Amendment to CTR-{pk:06d}: Managed security services"),
    (Contract.Revision.VERSION, "Managed security services"),
])
def test_a_revision_of_a_signed_contract_copies_it_as_a_draft(agent, contract, revision,
                                                              subject):
    Contract.objects.filter(pk=contract.pk).update(renewal_terms="One more year",
                                                   terms="<p>Net 30</p>")
    sign(contract)
    copy = services.contract_new_revision(actor=agent, contract=contract, revision=revision)
    assert copy.pk != contract.pk and copy.previous == contract
    assert (copy.revision, copy.version, copy.status.kind) == (revision, 2, Kind.DRAFT)
    assert copy.number == f"CTR-{copy.pk:06d} v2"
    assert copy.subject == subject.format(pk=contract.pk)
    assert (copy.renewal_terms, copy.terms, copy.client, copy.end_date) == (
        "One more year", "<p>Net 30</p>", contract.client, contract.end_date)
    assert not copy.is_signed and copy.proposal is None and not copy.signed_pdf
    assert [(row.description, row.quantity, row.unit_price) for row in copy.lines.all()] == [
        ("Monitoring", Decimal(12), Decimal("1000.00"))]
    assert copy.value == copy.total == contract.total
    assert contract_events(contract, "contract.revised").count() == 1
    assert contract_events(copy, "contract.created").count() == 1
    services.contract_update(actor=agent, contract=copy, subject="Editable again")


def test_revision_refusals(agent, contract):
    with pytest.raises(ValidationError, match="amendment or a new version"):
        services.contract_new_revision(actor=agent, contract=contract,
                                       revision=Contract.Revision.ORIGINAL)
    with pytest.raises(PermissionDenied):
        services.contract_new_revision(actor=UserFactory(role=roles.FINANCE), contract=contract,
                                       revision=Contract.Revision.VERSION)
    assert Contract.objects.count() == 1


# --- renew -------------------------------------------------------------------------------

def test_renew_prices_the_contract_lines_at_today_client_price(agent, account, item):
    contract = make_contract(agent, account, renewal_terms="Renewed yearly.\nSame scope.",
                             lines=[line(item, quantity=Decimal(4),
                                         unit_price=Decimal("180.00")),
                                    line(description="Travel", unit_price=Decimal("75.00"))])
    sign(contract)
    price_list = PriceListFactory(name="Alfa 2027")
    PriceListEntry.objects.create(price_list=price_list, item=item, unit_price=Decimal("200"))
    ClientPricing.objects.create(client=account, price_list=price_list)
    proposal = services.contract_renew(actor=agent, contract=contract)
    assert proposal.status == Proposal.Status.DRAFT
    assert (proposal.client, proposal.assigned_to) == (account, agent)
    assert proposal.subject == "Renewal: Managed security services"
    assert proposal.content == "<p>Renewed yearly.<br>Same scope.</p>"
    lines = [(row.item, row.quantity, row.unit_price, row.price_source)
             for row in proposal.lines.all()]
    assert lines == [(item, Decimal(4), Decimal("200.00"),
                      "Price list “Alfa 2027” (client's list)"),
                     (None, Decimal(1), Decimal("75.00"), "")]
    assert contract_events(contract, "contract.renewal_proposed").get().description.endswith(
        f"renewal proposal {proposal.number}")


def test_renew_without_lines_repeats_the_latest_order(agent, account, item):
    contract = make_contract(agent, account)
    sales_order_create(actor=agent, client=account, lines=[line(description="Old order")])
    latest = sales_order_create(actor=agent, client=account,
                                lines=[line(item, quantity=Decimal(3))])
    cancelled = sales_order_create(actor=agent, client=account,
                                   lines=[line(description="Cancelled order")])
    sales_order_cancel(actor=UserFactory(role=roles.SALES_MANAGER), order=cancelled,
                       reason="Duplicate")
    assert SalesOrder.objects.filter(client=account).count() == 3
    item.unit_price = Decimal("260.00")
    item.save()
    proposal = services.contract_renew(actor=agent, contract=contract)
    assert [(row.item, row.quantity, row.unit_price) for row in proposal.lines.all()] == [
        (item, Decimal(3), Decimal("260.00"))]
    assert latest.lines.get().unit_price != Decimal("260.00")


def test_renew_without_lines_or_orders_is_one_line_at_the_contract_value(agent, account):
    contract = make_contract(agent, account)
    proposal = services.contract_renew(actor=agent, contract=contract)
    (only,) = proposal.lines.all()
    assert (only.description, only.unit_price, only.price_source) == (
        "Renewal of Managed security services", Decimal("12000.00"),
        f"Contract {contract.number} value")


def test_renew_needs_the_contract_in_scope(other_agent, contract):
    with pytest.raises(PermissionDenied):
        services.contract_renew(actor=other_agent, contract=contract)
    assert not Proposal.objects.exists()


def test_signing_link_goes_to_the_proposal_recipient_when_there_is_no_contact(
        agent, account):
    from sales.models import Proposal
    from sales.services.contracts import _recipient_email

    proposal = ProposalFactory(client=account, assigned_to=agent, contact=None,
                               recipient_email="buyer@alfa.example.com",
                               status=Proposal.Status.ACCEPTED)
    contract = services.contract_from_proposal(actor=agent, proposal=proposal)
    assert contract.contact is None
    assert _recipient_email(contract) == "buyer@alfa.example.com"
