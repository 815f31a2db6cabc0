"""Voiding a payment from its page (Finance): the invoices it paid owe the money again, the
payment stays listed as voided with its receipt number."""

from decimal import Decimal

import pytest

from billing.models import Invoice
from billing.services.payments import payment_record

from ..forms import messages_of, rendered_form

Status = Invoice.Status


@pytest.fixture
def paid(issued, sales_admin, bank_transfer):
    """`issued` paid in two payments: 500.00, then the rest."""
    first = payment_record(actor=sales_admin, invoice=issued, amount=Decimal("500.00"),
                           mode=bank_transfer)
    rest = payment_record(actor=sales_admin, invoice=issued, amount=Decimal("1173.99"),
                          mode=bank_transfer)
    issued.refresh_from_db()
    assert issued.status == Status.PAID
    return first, rest


def void_url(payment):
    return f"/admin/payments/{payment.pk}/void"


def test_finance_voids_a_payment_and_the_invoice_owes_it_again(login_as, finance, issued,
                                                               paid):
    first, rest = paid
    http = login_as(finance)
    page = http.get(f"/admin/payments/{rest.pk}")
    html = page.content.decode()
    assert "Void payment" in html and 'data-confirm="Void payment CHT000002?' in html
    fields = rendered_form(page, void_url(rest))
    fields["reason"] = "Recorded on the wrong invoice"
    response = http.post(void_url(rest), fields)
    assert response["Location"] == f"/admin/payments/{rest.pk}"

    issued.refresh_from_db()
    assert issued.status == Status.PARTIALLY_PAID and issued.balance == Decimal("1173.99")
    rest.refresh_from_db()
    assert rest.voided_at is not None and rest.allocated == 0
    assert rest.void_reason == "Recorded on the wrong invoice"
    page = http.get(f"/admin/payments/{rest.pk}")
    assert messages_of(page) == [
        "Payment CHT000002 voided: the invoices it paid owe that money again."]
    html = page.content.decode()
    assert 'data-payment-state="voided"' in html and "Recorded on the wrong invoice" in html
    assert "Void payment" not in html  # once is enough
    assert "None: a voided payment pays nothing." in html

    fields = rendered_form(http.get(f"/admin/payments/{first.pk}"), void_url(first))
    http.post(void_url(first), {**fields, "reason": "Bounced"})
    issued.refresh_from_db()
    assert issued.status == Status.UNPAID and issued.amount_paid == 0


def test_a_reason_is_required(login_as, finance, issued, paid):
    _, rest = paid
    http = login_as(finance)
    response = http.post(void_url(rest), {"reason": ""})
    assert messages_of(http.get(response["Location"])) == [
        "Nothing changed: Say why the payment is voided."]
    rest.refresh_from_db()
    assert rest.voided_at is None


def test_only_finance_voids(login_as, sales_admin, finance, paid):
    _, rest = paid
    http = login_as(sales_admin)
    assert "Void payment" not in http.get(f"/admin/payments/{rest.pk}").content.decode()
    assert http.post(void_url(rest), {"reason": "x"}).status_code == 403
    assert login_as(finance).get(void_url(rest)).status_code == 405
    rest.refresh_from_db()
    assert rest.voided_at is None
