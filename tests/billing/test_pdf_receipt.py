"""The payment receipt (chitanță) PDF from the payment page: who paid whom, how much, how,
for which invoices, what is left as credit, and the VOID mark."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from billing.pdf import receipt_context
from billing.services.payments import payment_record, payment_void

from ..pdf_reading import pdf_page_count, pdf_text
from ..sales.test_pdf import company


@pytest.fixture
def payment(issued, sales_admin, bank_transfer):
    """2,000.00 RON on CRM000001 (1,673.99): 326.01 stays as client credit."""
    company()
    return payment_record(actor=sales_admin, invoice=issued, amount=Decimal("2000.00"),
                          mode=bank_transfer, transaction_reference="OP 9001",
                          excess_to_credit=True)


def receipt_url(payment):
    return f"/admin/payments/{payment.pk}/receipt"


def test_the_receipt_prints_parties_amount_mode_invoices_and_credit(login_as, sales_admin,
                                                                    payment):
    response = login_as(sales_admin).get(receipt_url(payment))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="CHT000001.pdf"'
    assert pdf_page_count(response.content) == 1
    text = pdf_text(response.content)
    client = payment.client
    for printed in ("Chitanță / Receipt CHT000001", f"Data / Date: {payment.date:%d.%m.%Y}",
                    "Nord Soft SRL", "CUI: RO18547290", "Reg. Com.: J40/1234/2015",
                    "Str. Lalelor 3", "Beta Logistics SRL", f"CUI: {client.cui}",
                    "Str. Memorandumului 28", "2,000.00 RON", "Bank transfer", "OP 9001",
                    "CRM000001", "1,673.99 RON", "326.01 RON"):
        assert printed in text, printed
    assert "VOID" not in text


def test_a_voided_payment_is_marked_void(login_as, finance, payment):
    payment_void(actor=finance, payment=payment, reason="Bounced")
    payment.refresh_from_db()
    html = render_to_string("billing/pdf/receipt.html", receipt_context(payment))
    assert 'data-stamp="void">ANULATĂ / VOID' in html and "Bounced" in html
    assert "CRM000001" not in html  # a voided payment paid nothing
    text = pdf_text(login_as(finance).get(receipt_url(payment)).content)
    assert "ANULATĂ / VOID" in text


def test_the_receipt_follows_the_payments_scope(login_as, agent, other_agent, payment):
    assert login_as(agent).get(receipt_url(payment)).status_code == 200  # their client
    assert login_as(other_agent).get(receipt_url(payment)).status_code == 404
