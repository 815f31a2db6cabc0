"""Text a user typed into an invoice or a payment — line descriptions, terms, payment terms,
a payment mode's description, notes, references — never makes the PDF renderer read a local
file or request a URL: it prints as text or the fetcher refuses it (the SSRF class of
CVE-2025-0474)."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from billing.models import Invoice, PaymentMode
from billing.pdf import invoice_context, invoice_pdf, receipt_pdf
from billing.services.invoices import invoice_issue
from billing.services.payments import payment_record, payment_void

from ..core.test_pdf_fetcher import probe_server
from ..factories import InvoiceFactory, line
from ..pdf_reading import pdf_text

PASSWD = "root:x:0:0"


@pytest.fixture
def http_probe():
    with probe_server() as server:
        yield server


def markup(server):
    return (f'<img src="file:///etc/passwd"><img src="{server.url}/x">'
            f'<p style="background: url({server.url}/bg)">styled</p>'
            f'<link rel="stylesheet" href="{server.url}/style.css">')


def test_markup_in_an_invoice_is_not_fetched(account, agent, sales_admin, bank_transfer,
                                             http_probe):
    typed = markup(http_probe)
    draft = InvoiceFactory(client=account, assigned_to=agent, lines=[
        line(description=f"Audit {typed}", quantity=Decimal(2))])
    Invoice.objects.filter(pk=draft.pk).update(terms=f"<p>Terms</p>{typed}",
                                               payment_terms=f"Pay soon {typed}",
                                               notes=f"internal {typed}")
    PaymentMode.objects.filter(pk=bank_transfer.pk).update(description=f"IBAN {typed}")
    draft.refresh_from_db()
    draft.payment_modes.set([bank_transfer])
    invoice = invoice_issue(actor=sales_admin, invoice=draft)

    data = invoice_pdf(invoice)
    assert data.startswith(b"%PDF-")
    assert http_probe.requests == []
    assert PASSWD not in pdf_text(data)
    html = render_to_string("billing/pdf/invoice.html", invoice_context(invoice))
    assert "Audit &lt;img src=&quot;file:///etc/passwd&quot;" in html  # printed as text
    assert "Pay soon &lt;img" in html and "IBAN &lt;img" in html
    assert 'src="file:///' not in html  # the rich-text terms lose the images
    assert "internal" not in html


def test_markup_in_a_payment_is_not_fetched(issued, sales_admin, finance, bank_transfer,
                                            http_probe):
    typed = markup(http_probe)
    payment = payment_record(actor=sales_admin, invoice=issued, amount=Decimal("100.00"),
                             mode=bank_transfer, transaction_reference=f"OP {typed}"[:100],
                             note=typed)
    payment_void(actor=finance, payment=payment, reason=f"Wrong client {typed}")
    payment.refresh_from_db()
    data = receipt_pdf(payment)
    assert data.startswith(b"%PDF-")
    assert http_probe.requests == []
    text = pdf_text(data)
    assert PASSWD not in text
    assert "Wrong client" in text
