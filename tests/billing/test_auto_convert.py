"""estimate_auto_convert_to_invoice_on_client_accept: the client's accept in the proposal
portal (the real POST) makes the invoice; Billing configuration decides whether it is also
issued and emailed (billing/receivers.py)."""

import re

import pytest

from billing.models import BillingSettings, Invoice
from billing.tasks import convert_accepted_proposal
from crmconnect.activity.models import Notification
from sales.models import Proposal, ProposalSettings
from sales.services.proposals import proposal_change_status, proposal_mark_sent_manually

from ..factories import ClientFactory, LeadFactory, ProposalFactory
from ..sales.test_send_email import wait_for


def settings_on(convert=True, send=False):
    ProposalSettings.objects.update_or_create(
        pk=1, defaults={"estimate_auto_convert_to_invoice_on_client_accept": convert})
    BillingSettings.objects.update_or_create(pk=1, defaults={"send_auto_converted": send})


def proposal_out(agent, client):
    """A proposal of the agent for `client`, handed to the client with a link: (proposal,
    token)."""
    proposal = ProposalFactory(client=client, contact=client.contacts.first(),
                               assigned_to=agent, created_by=agent)
    link = proposal_mark_sent_manually(actor=agent, proposal=proposal)
    return proposal, re.search(r"/p/([\w-]+)/$", link).group(1)


def accept(client, token):
    response = client.post(f"/p/{token}/accept", {
        "signer_name": "Ioana Marin", "signer_email": "ioana@beta.example.com",
        "signature": "", "typed_signature": "Ioana Marin"})
    assert response.status_code == 302
    return response


@pytest.fixture
def tasks_in_process():
    """The conversion job runs in the test's own process (Celery's eager mode); the last test
    runs it through a real worker."""
    from crmconnect.celery import app

    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(task_always_eager=False, task_eager_propagates=False)


@pytest.fixture
def accepted_online(client, agent, account, django_capture_on_commit_callbacks,
                    tasks_in_process):
    """Accept in the portal, running what waits for the commit; returns the proposal."""
    def run(for_client=None):
        proposal, token = proposal_out(agent, for_client or account)
        with django_capture_on_commit_callbacks(execute=True):
            accept(client, token)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.ACCEPTED
        return proposal
    return run


def test_the_clients_accept_makes_the_draft_invoice_with_all_lines(accepted_online, agent):
    settings_on()
    proposal = accepted_online()
    invoice = Invoice.objects.get()
    assert invoice.proposal == proposal and proposal.invoice == invoice
    assert invoice.status == Invoice.Status.DRAFT and not invoice.full_number
    assert invoice.client == proposal.client and invoice.assigned_to == agent
    assert invoice.created_by is None
    assert [(line.description, line.quantity, line.unit_price, line.vat_rate)
            for line in invoice.lines.all()] == \
        [(line.description, line.quantity, line.unit_price, line.vat_rate)
         for line in proposal.lines.all()]
    assert invoice.total == proposal.total
    assert Notification.objects.filter(
        recipient=agent, message__contains=f"draft invoice {invoice.number} is ready").exists()


def test_with_the_setting_off_nothing_is_made(accepted_online):
    settings_on(convert=False, send=True)
    accepted_online()
    assert not Invoice.objects.exists()


def test_a_staff_accept_makes_nothing(agent, account, django_capture_on_commit_callbacks,
                                      tasks_in_process):
    settings_on(send=True)
    proposal, _ = proposal_out(agent, account)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_change_status(actor=agent, proposal=proposal, status=Proposal.Status.ACCEPTED)
    assert not Invoice.objects.exists()


def test_missing_tax_data_leaves_the_draft_and_tells_the_agent(accepted_online, agent):
    settings_on(send=True)
    untaxed = ClientFactory(owner=agent, name="Gamma SRL", email="office@gamma.example.com")
    accepted_online(untaxed)
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.DRAFT and not invoice.sent
    told = Notification.objects.get(recipient=agent, message__contains="but not sent")
    assert "Gamma SRL is missing the CUI/CIF" in told.message
    assert told.url == invoice.get_absolute_url()


def test_a_proposal_to_a_lead_makes_nothing_and_the_agent_is_told_why(
        client, agent, django_capture_on_commit_callbacks, tasks_in_process):
    settings_on(send=True)
    proposal = ProposalFactory(client=None, lead=LeadFactory(assigned_to=agent),
                               assigned_to=agent, created_by=agent)
    token = re.search(r"/p/([\w-]+)/$", proposal_mark_sent_manually(
        actor=agent, proposal=proposal)).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        accept(client, token)
    assert not Invoice.objects.exists()
    told = Notification.objects.get(recipient=agent, message__contains="no invoice was made")
    assert "convert the lead to a client first" in told.message


def test_running_the_job_again_changes_nothing(accepted_online, agent):
    settings_on()
    proposal = accepted_online()
    told = Notification.objects.filter(recipient=agent).count()
    convert_accepted_proposal(proposal.pk)
    assert Invoice.objects.count() == 1
    assert Notification.objects.filter(recipient=agent).count() == told


@pytest.mark.django_db(transaction=True)
def test_with_sending_on_it_is_issued_and_emailed_with_the_link(client, agent, account,
                                                                company_smtp, settings):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    settings.SITE_URL = "http://portal.example.com"
    settings_on(send=True)
    proposal, token = proposal_out(agent, account)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        accept(client, token)
        assert wait_for(lambda: company_smtp.messages)
    invoice = Invoice.objects.get(proposal=proposal)
    assert invoice.status == Invoice.Status.UNPAID and invoice.full_number == "CRM000001"
    assert invoice.sent
    (message,) = company_smtp.messages
    assert message["to"] == ["ioana@beta.example.com"]
    assert message["message"]["Subject"] == "Invoice CRM000001"
    link = link_in_invoice(message)
    assert link.startswith("http://portal.example.com/i/")
    attachment = next(message["message"].iter_attachments())
    assert attachment.get_filename() == "CRM000001.pdf"
    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and "CRM000001" in response.content.decode()


def link_in_invoice(message):
    body = message["message"].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/i/[\w-]+/", body).group(0)
