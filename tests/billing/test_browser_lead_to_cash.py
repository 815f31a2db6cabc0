"""Lead to cash, the billing half, as people do it in Chromium: the back office converts the
accepted proposal to an invoice, issues and sends it (a real worker delivers the PDF and the
link to the SMTP server); the client opens the link in their own browser; two partial
payments make the invoice Paid; the client sees both with their receipts, and the client's
history shows every step."""

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from billing.models import Invoice, Payment
from sales.models import Proposal

from ..clients.test_browser import log_in
from ..factories import ProposalFactory, line
from ..pdf_reading import pdf_text
from ..sales.conftest import with_link
from ..sales.test_send_email import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accepted_proposal_to_a_paid_invoice(page, chromium, live_server, settings,
                                             company_smtp, sales_admin, agent, account):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    settings.SITE_URL = live_server.url
    proposal = ProposalFactory(client=account, assigned_to=agent, contact=account.contacts.get(),
                               lines=[line(description="Implementation", unit_price=1000)])
    with_link(proposal, Proposal.Status.ACCEPTED)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    errors = []
    page.on("console", lambda entry: errors.append(entry.text) if entry.type == "error" else None)
    log_in(page, sales_admin)

    # Convert to Invoice: a draft with the proposal's line, linked both ways.
    page.goto(proposal.get_absolute_url())
    page.click("button:has-text('Convert to Invoice')")
    page.wait_for_url("**/admin/invoices/*")
    invoice = Invoice.objects.get(proposal=proposal)
    expect(page.locator("#invoice-flags [data-status]")).to_have_text("Draft")
    expect(page.locator(f"#document-trail a:has-text('{proposal.number}')")).to_be_visible()

    # Issue: the number is assigned.
    page.click("#invoice-actions button:has-text('Issue')")
    expect(page.locator("h1")).to_have_text("Invoice CRM000001")
    expect(page.locator("#invoice-flags [data-status]")).to_have_text("Unpaid")

    # Send: the worker mails the PDF and the portal link.
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        page.click("#invoice-actions button:has-text('Send')")
        expect(page.locator("#invoice-flags [data-sent]")).to_have_text("Sent")
        assert wait_for(lambda: company_smtp.messages)
    (message,) = company_smtp.messages
    assert message["to"] == ["ioana@beta.example.com"]
    (attachment,) = message["message"].iter_attachments()
    assert attachment.get_filename() == "CRM000001.pdf"
    assert "CRM000001" in pdf_text(attachment.get_content())
    body = message["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/i/[\w-]+/", body).group(0)

    # The client opens the link in their own browser.
    client_context = chromium.new_context()
    client_context.set_default_timeout(10_000)
    client_page = client_context.new_page()
    try:
        client_page.goto(link)
        expect(client_page.locator("[data-status]").first).to_have_text("Unpaid")
        expect(client_page.locator("[data-total=balance]")).to_have_text("1,210.00 RON")
        invoice.refresh_from_db()
        assert invoice.viewed_at is not None

        # Two partial payments, recorded by the back office.
        for amount, reference, status in (("500.00", "OP 1001", "Partially Paid"),
                                          ("710.00", "OP 1002", "Paid")):
            page.goto(invoice.get_absolute_url())
            page.click("a:has-text('Record Payment')")
            page.fill("#id_amount", amount)
            page.fill("#id_transaction_reference", reference)
            page.click("button:has-text('Save')")
            expect(page.locator("#invoice-flags [data-status]")).to_have_text(status)
        invoice.refresh_from_db()
        assert invoice.status == Invoice.Status.PAID and invoice.balance == 0
        receipts = list(Payment.objects.order_by("pk").values_list("receipt_number", flat=True))
        assert receipts == ["CHT000001", "CHT000002"]

        # The client sees both payments, the receipts and nothing left to pay.
        client_page.reload()
        expect(client_page.locator("[data-status]").first).to_have_text("Paid")
        expect(client_page.locator("[data-total=balance]")).to_have_text("0.00 RON")
        history = client_page.locator(".payment-history tbody tr")
        expect(history).to_have_count(2)
        href = client_page.get_attribute("a:has-text('CHT000002')", "href")
        downloaded = client_page.request.get(urljoin(link, href))
        assert downloaded.headers["content-type"] == "application/pdf"
        assert "CHT000002" in pdf_text(downloaded.body())
    finally:
        client_context.close()

    # The receipt from the staff side, and the client's history with every step.
    receipt = page.request.get(Payment.objects.get(receipt_number="CHT000001")
                               .get_absolute_url() + "/receipt")
    assert receipt.headers["content-type"] == "application/pdf"
    assert "500.00" in pdf_text(receipt.body())
    page.goto(account.get_absolute_url())
    page.click("button:has-text('History')")
    steps = page.locator("#history").inner_text()
    for step in ("created from proposal", "issued", "sent to ioana@beta.example.com",
                 "CHT000001", "CHT000002", "Paid"):
        assert step in steps, step
    assert not errors
