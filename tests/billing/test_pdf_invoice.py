"""The invoice PDF: the content a Romanian invoice must carry (checked on the HTML WeasyPrint
renders and on the text of the PDF), the RON equivalent of a foreign-currency invoice, the
payments received and the balance, and the draft and cancelled marks."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from billing.models import Invoice, PaymentMode
from billing.pdf import invoice_context, invoice_pdf
from billing.services.invoices import invoice_cancel, invoice_issue
from billing.services.payments import payment_record

from ..factories import InvoiceFactory
from ..pdf_reading import pdf_page_count, pdf_text
from ..sales.test_pdf import company


def html(invoice):
    return render_to_string("billing/pdf/invoice.html", invoice_context(invoice))


@pytest.fixture
def seller(db):
    """The issuing company's data, set before an invoice is issued (issuing freezes it)."""
    return company()


@pytest.fixture
def invoice(seller, draft, sales_admin, bank_transfer):
    PaymentMode.objects.filter(pk=bank_transfer.pk).update(
        description="Banca Demo\nIBAN RO49AAAA1B31007593840000")
    Invoice.objects.filter(pk=draft.pk).update(
        terms="<p>Goods remain ours until paid.</p>", notes="internal: slow payer",
        payment_terms="Payment by bank transfer within 15 days.")
    draft.refresh_from_db()
    draft.payment_modes.set([bank_transfer])
    return invoice_issue(actor=sales_admin, invoice=draft)


def test_an_issued_invoice_prints_what_a_romanian_invoice_carries(invoice):
    page = html(invoice)
    client = invoice.client
    for text in ("Factură / Invoice CRM000001", "Seria / Series <strong>CRM</strong> nr. / no. "
                 "<strong>000001</strong>",
                 f"Data emiterii / Issue date: {invoice.date:%d.%m.%Y}",
                 f"Scadența / Due date: {invoice.due_date:%d.%m.%Y}",
                 # the supplier
                 "Furnizor / Supplier", "Nord Soft SRL", "CUI: RO18547290",
                 "Reg. Com.: J40/1234/2015", "Str. Lalelor 3", "Cluj-Napoca, Cluj",
                 "IBAN: RO49AAAA1B31007593840000", "Banca / Bank: Banca Demo",
                 "Plătitor de TVA / VAT payer",
                 # the client
                 "Cumpărător / Client", "Beta Logistics SRL", f"CUI: {client.cui}",
                 "Reg. Com.: J12/345/2020", "Str. Memorandumului 28",
                 # the lines and totals, VAT per rate
                 "Implementation", "Licence", "Unit price", "VAT %",
                 'data-total="subtotal">1,399.99 RON', 'data-total="vat-21">252.00 RON',
                 'data-total="vat-11">22.00 RON', 'data-total="total">1,673.99 RON',
                 # what is owed, how and on which terms
                 'data-total="paid">0.00 RON', 'data-total="balance">1,673.99 RON',
                 "Payment by bank transfer within 15 days.", "Bank transfer",
                 "Banca Demo\nIBAN RO49AAAA1B31007593840000",
                 "<p>Goods remain ours until paid.</p>"):
        assert text in page, text
    assert "slow payer" not in page  # internal notes stay inside
    assert "DRAFT" not in page and "CANCELLED" not in page
    assert 'data-total="ron"' not in page  # a RON invoice has no RON equivalent

    data = invoice_pdf(invoice)
    assert data.startswith(b"%PDF-") and pdf_page_count(data) == 1
    text = pdf_text(data)
    for printed in ("CRM000001", "Nord Soft SRL", "Beta Logistics SRL", "1,673.99 RON",
                    "Implementation"):
        assert printed in text, printed


def test_the_frozen_parties_are_printed_not_the_records_as_they_are_now(invoice):
    client = invoice.client
    client.name = "Beta Renamed SRL"
    client.save()
    page = html(invoice)
    assert "Beta Logistics SRL" in page and "Beta Renamed SRL" not in page


def test_a_foreign_currency_invoice_shows_the_ron_equivalent_and_the_rate(seller, account,
                                                                          agent, sales_admin):
    draft = InvoiceFactory(client=account, assigned_to=agent, currency="EUR",
                           exchange_rate=Decimal("4.9765"))
    invoice = invoice_issue(actor=sales_admin, invoice=draft)
    page = html(invoice)
    assert "Moneda / Currency: EUR" in page
    assert 'data-total="total">1,673.99 EUR' in page
    assert "In RON (rate 4.976500)" in page
    assert 'data-total="ron">8,330.61 RON' in page  # 1,673.99 × 4.9765


def test_payments_received_and_the_balance(invoice, sales_admin, bank_transfer):
    payment_record(actor=sales_admin, invoice=invoice, amount=Decimal("500.00"),
                   mode=bank_transfer, transaction_reference="OP 4411")
    invoice.refresh_from_db()
    page = html(invoice)
    for text in ("Plăți primite / Payments received", "CHT000001", "OP 4411", "500.00 RON",
                 'data-total="paid">500.00 RON', 'data-total="balance">1,173.99 RON'):
        assert text in page, text
    assert "1,173.99 RON" in pdf_text(invoice_pdf(invoice))


def test_a_draft_says_it_is_not_a_fiscal_document(seller, draft):
    page = html(draft)
    assert "DRAFT — not a fiscal document" in page
    assert f"Factură / Invoice DRAFT-{draft.pk:06d}" in page
    assert "Seria / Series" not in page  # no number yet
    assert 'data-total="balance"' not in page
    assert "not a fiscal document" in pdf_text(invoice_pdf(draft))


def test_a_cancelled_invoice_is_marked(invoice, sales_admin):
    invoice_cancel(actor=sales_admin, invoice=invoice, reason="Issued twice")
    invoice.refresh_from_db()
    page = html(invoice)
    assert 'data-stamp="cancelled">ANULATĂ / CANCELLED' in page and "Issued twice" in page
    assert 'data-total="balance"' not in page
