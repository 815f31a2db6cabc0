"""Advance payments on a client's account and the credit they leave, applied to invoices from
the payment page (one invoice at a time) or from the invoice page, through the rendered
forms."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Invoice, Payment
from billing.services.invoices import invoice_issue
from billing.services.payments import client_credit, payment_record

from ..factories import ClientFactory, InvoiceFactory, line
from ..forms import messages_of, rendered_form, submit

Status = Invoice.Status
ADD_URL = "/admin/payments/add"


@pytest.fixture
def small(account, agent, sales_admin):
    """A second invoice of the client, 121.00 RON, due before `issued`."""
    return invoice_issue(actor=sales_admin, invoice=InvoiceFactory(
        client=account, assigned_to=agent, lines=[line(description="Support")],
        due_date=timezone.localdate() + datetime.timedelta(days=5)))


def detail_url(payment):
    return f"/admin/payments/{payment.pk}"


def test_an_advance_payment_then_applied_to_two_invoices(login_as, sales_admin, account,
                                                         issued, small):
    http = login_as(sales_admin)
    fields = rendered_form(http.get(f"{ADD_URL}?client={account.pk}"))
    assert fields["client"] == str(account.pk) and fields["currency"] == "RON"
    response = submit(http, f"{ADD_URL}?client={account.pk}", amount="1000.00",
                      transaction_reference="OP 77")
    payment = Payment.objects.get()
    assert response["Location"] == detail_url(payment)
    assert (payment.client, payment.amount, payment.allocated) == (
        account, Decimal("1000.00"), Decimal(0))
    assert client_credit(account) == {"RON": Decimal("1000.00")}
    page = http.get(detail_url(payment))
    assert messages_of(page) == [
        "Advance payment CHT000001 of 1,000.00 RON recorded: it is Beta Logistics SRL's "
        "credit until applied to an invoice."]
    html = page.content.decode()
    assert 'data-unallocated="1000.00"' in html and "Not applied to an invoice yet" in html

    # The first invoice offered is the one due first; the amount proposed is its balance.
    fields = rendered_form(page, detail_url(payment))
    assert (fields["invoice"], fields["amount"]) == (str(small.pk), "121.00")
    response = http.post(detail_url(payment), fields)
    assert response["Location"] == f"{detail_url(payment)}#apply-credit"
    small.refresh_from_db()
    assert small.status == Status.PAID
    assert messages_of(http.get(detail_url(payment))) == [
        "121.00 RON of Beta Logistics SRL's credit applied: invoice CRM000002 is Paid, "
        "balance 0.00."]

    # Then the rest of it, to the larger invoice: what the payment has left is proposed.
    fields = rendered_form(http.get(detail_url(payment)), detail_url(payment))
    assert (fields["invoice"], fields["amount"]) == (str(issued.pk), "879.00")
    http.post(detail_url(payment), fields)
    issued.refresh_from_db()
    assert issued.status == Status.PARTIALLY_PAID and issued.balance == Decimal("794.99")
    payment.refresh_from_db()
    assert payment.unallocated == 0 and client_credit(account) == {}

    html = http.get(detail_url(payment)).content.decode()
    assert "Apply to an invoice" not in html  # nothing left to apply
    response = http.post(detail_url(payment), {"invoice": small.pk, "amount": "1"})  # stale
    assert messages_of(http.get(response["Location"])) == [
        "Invoice CRM000002 is Paid: there is nothing to pay on it."]
    assert f'href="/admin/invoices/{issued.pk}">CRM000001' in html
    assert f'href="/admin/invoices/{small.pk}">CRM000002' in html


def test_the_advance_form_picks_among_the_users_clients(login_as, sales_admin, agent,
                                                        account):
    http = login_as(sales_admin)
    response = http.get(ADD_URL)
    html = response.content.decode()
    assert f'<option value="{account.pk}">Beta Logistics SRL</option>' in html
    assert "data-client-select" in html
    response = submit(http, ADD_URL, amount="10.00")  # no client chosen
    assert response.status_code == 200 and "client" in response.context["form"].errors
    assert not Payment.objects.exists()

    # An agent sees only their clients; with no right to record, not the form at all.
    assert login_as(agent).get(ADD_URL).status_code == 403


def test_credit_applied_from_the_invoice_page(login_as, sales_admin, account, issued,
                                              bank_transfer):
    payment_record(actor=sales_admin, client=account, currency="RON", amount=Decimal("300"),
                   mode=bank_transfer)
    payment_record(actor=sales_admin, client=account, currency="RON", amount=Decimal("200"),
                   mode=bank_transfer)
    http = login_as(sales_admin)
    url = f"/admin/invoices/{issued.pk}/apply-credit"
    response = http.post(url, {"amount": "350.00"})
    assert response["Location"] == f"/admin/invoices/{issued.pk}"
    issued.refresh_from_db()
    assert issued.amount_paid == Decimal("350.00") and issued.status == Status.PARTIALLY_PAID
    assert messages_of(http.get(response["Location"])) == [
        "350.00 RON of the client's credit applied: invoice CRM000001 is Partially Paid, "
        "balance 1,323.99."]
    oldest, newest = Payment.objects.order_by("pk")
    assert (oldest.allocated, newest.allocated) == (Decimal("300.00"), Decimal("50.00"))

    response = http.post(url, {"amount": ""})  # the rest of the credit
    assert messages_of(http.get(response["Location"])) == [
        "150.00 RON of the client's credit applied: invoice CRM000001 is Partially Paid, "
        "balance 1,173.99."]
    issued.refresh_from_db()
    assert issued.amount_paid == Decimal("500.00") and client_credit(account) == {}

    response = http.post(url, {"amount": ""})
    assert messages_of(http.get(response["Location"])) == [
        "Beta Logistics SRL has no credit in RON."]
    assert http.get(url).status_code == 405


def test_credit_in_another_currency_is_not_applied(login_as, sales_admin, account, issued,
                                                   bank_transfer):
    payment = payment_record(actor=sales_admin, client=account, currency="EUR",
                             amount=Decimal("100"), mode=bank_transfer)
    http = login_as(sales_admin)
    response = http.post(f"/admin/invoices/{issued.pk}/apply-credit", {"amount": ""})
    assert "has no credit in RON" in messages_of(http.get(response["Location"]))[0]
    html = http.get(detail_url(payment)).content.decode()
    assert "has no open EUR invoice you can see" in html
    # Posting a RON invoice to the EUR payment's page finds nothing to apply it to.
    assert http.post(detail_url(payment), {"invoice": issued.pk, "amount": "1"}
                     ).status_code == 404
    issued.refresh_from_db()
    assert issued.amount_paid == 0


def test_an_invalid_amount_changes_nothing(login_as, sales_admin, account, issued,
                                           bank_transfer):
    payment = payment_record(actor=sales_admin, client=account, currency="RON",
                             amount=Decimal("100"), mode=bank_transfer)
    http = login_as(sales_admin)
    response = http.post(detail_url(payment), {"invoice": issued.pk, "amount": "-5"})
    assert messages_of(http.get(response["Location"]))[0].startswith("Nothing changed:")
    payment.refresh_from_db()
    assert payment.allocated == 0


def test_applying_credit_needs_the_right_to_record_payments(login_as, agent, account, issued,
                                                            sales_admin, bank_transfer):
    payment = payment_record(actor=sales_admin, client=account, currency="RON",
                             amount=Decimal("100"), mode=bank_transfer)
    http = login_as(agent)  # views payments of their clients, records none
    html = http.get(detail_url(payment)).content.decode()
    assert "Apply to an invoice" not in html and "Void payment" not in html
    assert http.post(detail_url(payment), {"invoice": issued.pk}).status_code == 403
    assert http.post(f"/admin/invoices/{issued.pk}/apply-credit").status_code == 403
    stranger = ClientFactory(name="Gamma SRL")
    other = payment_record(actor=sales_admin, client=stranger, currency="RON",
                           amount=Decimal("5"), mode=bank_transfer)
    assert http.get(detail_url(other)).status_code == 404  # not their client's
