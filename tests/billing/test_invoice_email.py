"""Sending an invoice end to end: the service, a real Celery worker and a real SMTP server.
The client gets the invoice PDF attached and the portal link, which opens the invoice."""

import os
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from billing.services.invoices import invoice_issue, invoice_send
from billing.services.payments import payment_record
from crmconnect.company.models import CompanySettings

from ..factories import InvoiceFactory
from ..pdf_reading import pdf_text
from ..sales.test_send_email import wait_for


def body_of(message):
    return message["message"].get_body(preferencelist=("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_pdf_and_the_link_which_opens_the_invoice(
        client, company_smtp, sales_admin, account, agent, settings):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    issued = invoice_issue(actor=sales_admin,
                           invoice=InvoiceFactory(client=account, assigned_to=agent))
    settings.SITE_URL = "http://portal.example.com"
    cache.clear()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        link = invoice_send(actor=sales_admin, invoice=issued)
        assert wait_for(lambda: company_smtp.messages)
    assert len(company_smtp.messages) == 1
    received = company_smtp.messages[0]
    assert received["to"] == [issued.client.email]
    assert received["message"]["Subject"] == "Invoice CRM000001"

    body = body_of(received)
    assert re.search(r"http://portal\.example\.com/i/[\w-]+/", body).group(0) == link
    for text in ("Hello Beta Logistics SRL,", "invoice CRM000001",
                 "Total: 1,673.99 RON (VAT included)",
                 f"Due date: {issued.due_date:%d.%m.%Y}", "Balance due: 1,673.99 RON",
                 "View, download and pay online:"):
        assert text in body, text

    attachments = list(received["message"].iter_attachments())
    assert [part.get_filename() for part in attachments] == ["CRM000001.pdf"]
    data = attachments[0].get_content()
    assert attachments[0].get_content_type() == "application/pdf" and data.startswith(b"%PDF-")
    assert "CRM000001" in pdf_text(data)

    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert "CRM000001" in response.content.decode()


def test_the_email_names_the_agent_the_company_and_what_was_paid(issued, sales_admin, agent,
                                                                 bank_transfer):
    company = CompanySettings.load()
    company.legal_name, company.cui, company.phone = "Nord & Soft SRL", "RO18547290", "+40 264"
    company.save()
    payment_record(actor=sales_admin, invoice=issued, amount=Decimal("500"),
                   mode=bank_transfer)
    issued.refresh_from_db()
    issued.contact = issued.client.contacts.get()
    body = render_to_string("billing/email/invoice_sent.txt", {
        "invoice": issued, "link": "http://x/i/abc/", "company": company})
    for text in ("Hello Ioana Marin,", "Nord & Soft SRL issued invoice CRM000001",
                 "Paid so far: 500.00 RON", "Balance due: 1,173.99 RON", "http://x/i/abc/",
                 "Andrei Agent\nagent@example.com", "Nord & Soft SRL\nCUI RO18547290\n+40 264"):
        assert text in body, text  # plain text: "&" is not escaped
