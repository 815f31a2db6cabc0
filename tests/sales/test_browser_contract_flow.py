"""The contract flow as people do it, in Chromium: the agent makes a contract from an accepted
proposal and sends it for signature; the client opens the emailed link in their own browser,
draws a signature and signs; the agent sees the contract Active with the signed PDF, and
editing it is refused."""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from sales.models import Contract, ContractStatus, Proposal

from ..clients.test_browser import log_in
from .conftest import with_link
from .test_browser_proposal_flow import draw_signature
from .test_send_email import wait_for
from .test_services_contracts import seed_contract_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def contract_link_in(message):
    body = message["message"].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/p/contract/[\w-]+/", body).group(0)


def test_from_accepted_proposal_to_a_contract_signed_online(page, chromium, live_server,
                                                            settings, company_smtp, agent,
                                                            account, proposal):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    settings.SITE_URL = live_server.url
    seed_contract_statuses()
    Proposal.objects.filter(pk=proposal.pk).update(contact=account.contacts.get())
    with_link(proposal, Proposal.Status.ACCEPTED)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    errors = []
    page.on("console", lambda entry: errors.append(entry.text) if entry.type == "error" else None)
    log_in(page, agent)

    # "Create Contract" on the accepted proposal: the draft opens in its form.
    page.goto(proposal.get_absolute_url())
    page.click("button:has-text('Create Contract')")
    page.wait_for_selector("text=created from proposal")
    contract = Contract.objects.get()
    assert contract.proposal == proposal and contract.status.kind == ContractStatus.Kind.DRAFT

    # Send for signature: a real worker delivers the email to the SMTP server.
    page.goto(contract.get_absolute_url())
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        page.click("#contract-actions button:has-text('Send for signature')")
        page.wait_for_selector("text=Sent for signature.")
        assert wait_for(lambda: company_smtp.messages)
    (message,) = company_smtp.messages
    assert message["to"] == ["maria@alfa.example.com"]
    link = contract_link_in(message)
    assert link.startswith(f"{live_server.url}/p/contract/")

    # The client opens the link in their own browser, draws a signature and signs.
    client_context = chromium.new_context()
    client_context.set_default_timeout(10_000)
    client_page = client_context.new_page()
    client_errors = []
    client_page.on("console", lambda entry: client_errors.append(entry.text)
                   if entry.type == "error" else None)
    try:
        client_page.goto(link)
        assert client_page.locator(f"text=Contract {contract.number}").count() >= 1
        assert client_page.input_value("#id_signer_name") == "Maria Ionescu"
        draw_signature(client_page)
        assert client_page.input_value("#id_signature").startswith("data:image/png;base64,")
        client_page.click("button:has-text('Sign contract')")
        client_page.wait_for_selector("text=the contract is signed")
        assert client_page.locator("text=Signed by Maria Ionescu").is_visible()
        assert client_page.locator("img.signature-image").is_visible()
        signed_copy = client_page.request.get(
            urljoin(client_page.url, client_page.get_attribute("#signed-pdf", "href")))
        assert signed_copy.ok and signed_copy.body().startswith(b"%PDF-")  # right after
        assert not client_errors
    finally:
        client_context.close()

    # The agent sees the contract Active, signed online, with its signed PDF.
    page.goto(contract.get_absolute_url())
    assert page.locator("#contract-flags [data-status=active]").is_visible()
    assert page.locator("#contract-flags [data-signed=online]").is_visible()
    with page.expect_download() as download:
        page.click("a:has-text('Signed PDF')")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"{contract.number}-signed.pdf"

    # Editing the signed contract is refused with the reason.
    page.goto(f"/admin/contracts/{contract.pk}/edit")
    assert page.locator("text=A signed contract cannot be edited").is_visible()
    contract.refresh_from_db()
    assert contract.signature.startswith("data:image/png;base64,")
    assert not errors
