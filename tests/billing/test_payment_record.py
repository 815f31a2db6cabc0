""""Record Payment" on an invoice, driven through the rendered form: successive partial
payments (Unpaid → Partially Paid → Paid), an amount above the balance refused on its field
or kept as client credit, and who may record."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.utils import timezone

from billing.models import BillingSettings, Invoice, Payment, PaymentMode
from billing.services.invoices import invoice_issue
from billing.services.payments import client_credit

from ..factories import InvoiceFactory, TaxedClientFactory, UserFactory
from ..forms import messages_of, rendered_form, submit

Status = Invoice.Status


def payment_url(invoice):
    return f"/admin/invoices/{invoice.pk}/payment"


def test_successive_partial_payments_take_the_invoice_to_partially_paid_then_paid(
        login_as, sales_admin, issued):
    http = login_as(sales_admin)
    page = http.get(payment_url(issued))
    fields = rendered_form(page)
    assert fields["amount"] == "1673.99"  # the balance
    assert fields["date"] == timezone.localdate().isoformat()
    assert "excess_to_credit" not in fields  # offered, not ticked

    response = submit(http, payment_url(issued), amount="500.00",
                      transaction_reference="OP 1001")
    assert response.status_code == 302 and response["Location"] == f"/admin/invoices/{issued.pk}"
    issued.refresh_from_db()
    assert issued.status == Status.PARTIALLY_PAID
    assert issued.amount_paid == Decimal("500.00")
    first = Payment.objects.get()
    assert (first.receipt_number, first.transaction_reference, first.recorded_by) == (
        "CHT000001", "OP 1001", sales_admin)
    assert messages_of(http.get(f"/admin/invoices/{issued.pk}")) == [
        "Payment CHT000001 of 500.00 RON recorded: invoice CRM000001 is Partially Paid, "
        "balance 1,173.99."]

    assert rendered_form(http.get(payment_url(issued)))["amount"] == "1173.99"
    response = submit(http, payment_url(issued))  # the rest, as proposed
    issued.refresh_from_db()
    assert issued.status == Status.PAID and issued.balance == 0
    assert messages_of(http.get(response["Location"])) == [
        "Payment CHT000002 of 1,173.99 RON recorded: invoice CRM000001 is Paid, balance 0.00."]

    response = http.get(payment_url(issued))  # nothing left to pay
    assert response.status_code == 302
    assert "Invoice CRM000001 is Paid: there is nothing to pay on it." in messages_of(
        http.get(response["Location"]))
    assert Payment.objects.count() == 2


def test_an_amount_above_the_balance_is_refused_on_its_field(login_as, sales_admin, issued):
    http = login_as(sales_admin)
    response = submit(http, payment_url(issued), amount="2000.00", note="Paid twice?")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["amount"] == [
        "The balance of CRM000001 is 1,673.99 RON: record at most that, or keep the excess "
        "as client credit."]
    fields = rendered_form(response)
    assert fields["amount"] == "2000.00" and fields["note"] == "Paid twice?"  # kept
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert not Payment.objects.exists()
    issued.refresh_from_db()
    assert issued.status == Status.UNPAID and issued.amount_paid == 0


def test_the_excess_can_be_kept_as_client_credit(login_as, sales_admin, issued):
    http = login_as(sales_admin)
    response = submit(http, payment_url(issued), amount="2000.00", excess_to_credit="on")
    issued.refresh_from_db()
    assert issued.status == Status.PAID
    payment = Payment.objects.get()
    assert (payment.amount, payment.allocated, payment.unallocated) == (
        Decimal("2000.00"), Decimal("1673.99"), Decimal("326.01"))
    assert client_credit(issued.client) == {"RON": Decimal("326.01")}
    assert messages_of(http.get(response["Location"])) == [
        "Payment CHT000001 of 2,000.00 RON recorded: invoice CRM000001 is Paid, balance 0.00. "
        "326.01 RON kept as client credit."]


def test_without_overpayments_to_credit_the_option_is_not_offered(login_as, sales_admin,
                                                                   issued):
    BillingSettings.objects.update_or_create(pk=1,
                                             defaults={"allow_overpayment_to_credit": False})
    http = login_as(sales_admin)
    page = http.get(payment_url(issued)).content.decode()
    assert "excess_to_credit" not in page
    response = submit(http, payment_url(issued), amount="2000.00")
    assert "record at most that" in response.context["form"].errors["amount"][0]


def test_a_payment_dated_in_the_future_is_refused(login_as, sales_admin, issued):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = submit(login_as(sales_admin), payment_url(issued), date=tomorrow.isoformat())
    assert response.context["form"].errors["date"] == [
        "A payment cannot be dated in the future."]
    assert not Payment.objects.exists()


def test_the_modes_the_invoice_offers_come_first(login_as, sales_admin, issued):
    cash = PaymentMode.objects.get(kind=PaymentMode.Kind.CASH)
    issued.payment_modes.set([cash])
    PaymentMode.objects.filter(kind=PaymentMode.Kind.CARD).update(active=False)
    http = login_as(sales_admin)
    page = http.get(payment_url(issued))
    assert rendered_form(page)["mode"] == str(cash.pk)  # selected by default
    html = page.content.decode()
    assert "Cash (on the invoice)" in html and ">Card<" not in html  # inactive: not offered
    submit(http, payment_url(issued), amount="10.00")
    assert Payment.objects.get().mode == cash


def test_the_page_shows_the_invoice_and_the_clients_credit(login_as, sales_admin, issued,
                                                           bank_transfer):
    from billing.services.payments import payment_record

    payment_record(actor=sales_admin, client=issued.client, currency="RON",
                   amount=Decimal("250.00"), mode=bank_transfer)
    html = login_as(sales_admin).get(payment_url(issued)).content.decode()
    assert "Record payment on invoice CRM000001" in html
    assert 'data-balance="1673.99"' in html
    assert "Beta Logistics SRL has 250.00 RON of credit" in html


def test_a_draft_takes_no_payment(login_as, sales_admin, draft):
    http = login_as(sales_admin)
    response = http.get(payment_url(draft))
    assert response.status_code == 302
    assert f"Invoice {draft.number} is Draft" in messages_of(http.get(response["Location"]))[0]
    response = http.post(payment_url(draft), {"amount": "10", "date": "2025-01-01",
                                               "mode": PaymentMode.objects.first().pk})
    assert response.status_code == 302 and not Payment.objects.exists()


def test_who_may_record(login_as, agent, sales_admin, issued):
    assert login_as(agent).get(payment_url(issued)).status_code == 403  # agents only view
    # Own scope with the right to record: someone else's invoice is not found.
    own_scope = UserFactory(username="cashier")
    own_scope.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="billing",
        codename__in=["view_invoice", "add_payment", "view_payment"]))
    assert login_as(own_scope).get(payment_url(issued)).status_code == 404
    other = invoice_issue(actor=sales_admin, invoice=InvoiceFactory(
        client=TaxedClientFactory(owner=own_scope), assigned_to=own_scope))
    assert login_as(own_scope).get(payment_url(other)).status_code == 200
