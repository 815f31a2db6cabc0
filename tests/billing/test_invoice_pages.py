"""The invoice form (Add Invoice, edit while a draft) driven through the rendered form, and the
invoice page: what it shows and offers by status and role, and the staff PDF."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import BillingSettings, Invoice, PaymentMode, Series
from billing.services.invoices import invoice_from_order
from billing.services.payments import payment_record
from crmconnect.activity.models import Activity
from sales.models import SalesOrder
from sales.services.orders import sales_order_create

from ..factories import InvoiceFactory, TaxedClientFactory, line, vat_rate
from ..forms import fill_line, messages_of, rendered_form
from ..pdf_reading import pdf_text
from .test_invoice_list import pay

ADD_URL = "/admin/invoices/add"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def vat_rates(db):
    return vat_rate("21"), vat_rate("11")


def edit_url(invoice):
    return f"/admin/invoices/{invoice.pk}/edit"


# --- Add Invoice -------------------------------------------------------------------------------

def test_add_invoice_for_a_client_with_the_configured_defaults(login_as, agent, account):
    PaymentMode.objects.filter(kind=PaymentMode.Kind.ONLINE).update(is_default=False)
    config = BillingSettings.load()
    config.due_days, config.payment_terms = 30, "Within 30 days, by bank transfer."
    config.save()
    http = login_as(agent)
    url = f"{ADD_URL}?client={account.pk}"
    data = rendered_form(http.get(url))
    assert data["client"] == str(account.pk) and data["currency"] == "RON"
    assert data["contact"] == str(account.primary_contact.pk)
    assert data["date"] == TODAY.isoformat()
    assert data["due_date"] == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert data["payment_terms"] == "Within 30 days, by bank transfer."
    assert data["series"] == str(Series.objects.get(prefix="CRM").pk)
    offered = PaymentMode.objects.filter(is_default=True).order_by("ordering", "name")
    assert data["payment_modes"] == [str(mode.pk) for mode in offered]
    assert data["document_vat_rate"] == ""
    assert "assigned_to" not in data  # an agent's invoices are their own
    fill_line(data, 0, description="Implementation", quantity="3", unit_price="400")
    response = http.post(url, data)
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == invoice.get_absolute_url()
    assert invoice.status == Invoice.Status.DRAFT and invoice.assigned_to == agent
    assert invoice.client == account and invoice.total == Decimal("1452.00")
    assert invoice.due_date == TODAY + datetime.timedelta(days=30)
    assert set(invoice.payment_modes.all()) == set(offered)
    assert invoice.payment_terms == "Within 30 days, by bank transfer."
    assert messages_of(http.get(invoice.get_absolute_url())) == [
        f"Invoice {invoice.number} created as a draft: issue it to give it its number."]


def test_an_empty_due_date_is_the_date_plus_the_configured_term(login_as, agent, account):
    http = login_as(agent)
    data = rendered_form(http.get(f"{ADD_URL}?client={account.pk}"))
    data.update(date="2026-03-01", due_date="")
    fill_line(data, 0, description="Audit", unit_price="100")
    assert http.post(ADD_URL, data).status_code == 302
    assert Invoice.objects.get().due_date == datetime.date(2026, 3, 16)


def test_bad_input_shows_the_form_again_with_what_was_typed(login_as, agent, account):
    http = login_as(agent)
    data = rendered_form(http.get(ADD_URL))
    data["notes"] = "Call before delivery"
    response = http.post(ADD_URL, data)
    assert response.status_code == 200 and not Invoice.objects.exists()
    assert "client" in response.context["form"].errors
    assert "Add at least one line." in response.context["formset"].non_form_errors()
    assert "Call before delivery" in response.content.decode()
    # A rule of the service lands on its field, with the lines kept.
    data = rendered_form(http.get(f"{ADD_URL}?client={account.pk}"))
    data["due_date"] = (TODAY - datetime.timedelta(days=1)).isoformat()
    fill_line(data, 0, description="Kept line", unit_price="250")
    response = http.post(ADD_URL, data)
    assert response.status_code == 200 and not Invoice.objects.exists()
    assert response.context["form"].errors["due_date"] == [
        "The due date cannot be before the invoice date."]
    assert "Kept line" in response.content.decode()


def test_a_client_out_of_scope_is_refused(login_as, agent, other_agent):
    foreign = TaxedClientFactory(owner=other_agent)
    http = login_as(agent)
    data = rendered_form(http.get(f"{ADD_URL}?client={foreign.pk}"))
    assert data["client"] == ""  # not preselected either
    data["client"] = str(foreign.pk)
    fill_line(data, 0, description="Anything", unit_price="10")
    response = http.post(ADD_URL, data)
    assert response.status_code == 200 and "client" in response.context["form"].errors
    assert not Invoice.objects.exists()


def test_one_vat_rate_for_every_line(login_as, agent, account):
    http = login_as(agent)
    data = rendered_form(http.get(f"{ADD_URL}?client={account.pk}"))
    data["document_vat_rate"] = "11"
    fill_line(data, 0, description="Support", unit_price="100", vat="21:S")
    fill_line(data, 1, description="Hosting", quantity="1", unit_price="50", vat="21:S")
    assert http.post(ADD_URL, data).status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.document_vat_rate == Decimal(11)
    assert {line.vat_rate for line in invoice.lines.all()} == {Decimal(11)}
    assert invoice.vat_total == Decimal("16.50") and invoice.total == Decimal("166.50")
    # The edit form shows the option chosen; "VAT per line" keeps the lines' rates.
    data = rendered_form(http.get(edit_url(invoice)))
    assert data["document_vat_rate"] == "11"
    data["document_vat_rate"] = ""
    assert http.post(edit_url(invoice), data).status_code == 302
    invoice.refresh_from_db()
    assert invoice.document_vat_rate is None and invoice.total == Decimal("166.50")
    page = http.get(invoice.get_absolute_url()).content.decode()
    assert 'id="document-vat"' not in page


def test_a_manager_picks_the_agent(login_as, manager, agent, account):
    http = login_as(manager)
    data = rendered_form(http.get(f"{ADD_URL}?client={account.pk}"))
    assert data["assigned_to"] == str(manager.pk)
    data["assigned_to"] = str(agent.pk)
    fill_line(data, 0, description="Audit", unit_price="100")
    assert http.post(ADD_URL, data).status_code == 302
    assert Invoice.objects.get().assigned_to == agent


# --- edit ----------------------------------------------------------------------------------

def test_edit_a_draft_through_the_rendered_form(login_as, agent, draft):
    http = login_as(agent)
    data = rendered_form(http.get(edit_url(draft)))
    assert data["lines-TOTAL_FORMS"] == "3" and data["lines-0-description"] == "Implementation"
    cash = PaymentMode.objects.get(kind=PaymentMode.Kind.CASH)
    data.update(discount_percent="10", payment_modes=str(cash.pk), currency="EUR",
                exchange_rate="4.97")
    data["lines-1-DELETE"] = "on"
    response = http.post(edit_url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert list(draft.payment_modes.all()) == [cash]
    assert draft.lines.count() == 1 and draft.total == Decimal("1306.80")  # 1200 −10 % +21 %
    assert Activity.objects.filter(event="invoice.updated", object_id=draft.pk).exists()
    html = http.get(edit_url(draft)).content.decode()
    assert "= 6,494.80 RON at 4.970000 RON per EUR" in html
    # The due date of a draft being edited cannot be emptied.
    data = rendered_form(http.get(edit_url(draft)))
    data["due_date"] = ""
    response = http.post(edit_url(draft), data)
    assert response.status_code == 200 and "due_date" in response.context["form"].errors


def test_an_issued_invoice_is_not_edited(login_as, agent, issued):
    http = login_as(agent)
    response = http.get(edit_url(issued))
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()
    assert "it cannot be edited" in messages_of(http.get(issued.get_absolute_url()))[0]


# --- the invoice page ----------------------------------------------------------------------

def actions_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('id="invoice-actions"')[1].split("</div>\n</div>")[0]


def test_a_drafts_page_and_its_actions_by_role(login_as, agent, sales_admin, draft):
    response = login_as(agent).get(draft.get_absolute_url())
    html, actions = response.content.decode(), actions_of(response)
    assert f"Invoice DRAFT-{draft.pk:06d}" in html and 'data-status="6"' in html
    assert "Implementation" in html and 'data-total="total">1,673.99 RON' in html
    assert "Edit" in actions and "Issue" in actions
    assert "Delete" not in actions  # agents do not delete invoices
    assert "Send" not in actions and "Record Payment" not in actions
    assert 'id="invoice-balance"' not in html
    admin_actions = actions_of(login_as(sales_admin).get(draft.get_absolute_url()))
    assert "Delete" in admin_actions and "Cancel invoice" not in admin_actions


def test_an_issued_invoices_page_with_payments_and_credit(login_as, agent, sales_admin, issued,
                                                         account, bank_transfer):
    paid = pay(sales_admin, issued, "500.00", bank_transfer)
    payment = paid.allocations.get().payment
    payment_record(actor=sales_admin, client=account, currency="RON", amount=Decimal("300"),
                   mode=bank_transfer)
    payment_record(actor=sales_admin, client=account, currency="EUR", amount=Decimal("50"),
                   mode=bank_transfer)
    response = login_as(sales_admin).get(issued.get_absolute_url())
    html, actions = response.content.decode(), actions_of(response)
    assert "Invoice CRM000001" in html and "Partially Paid" in html and "Not Sent" in html
    assert 'data-paid="500.00"' in html and 'data-balance="1173.99"' in html
    assert f'href="/admin/payments/{payment.pk}"' in html and payment.receipt_number in html
    assert f'href="/admin/payments/{payment.pk}/receipt"' in html
    assert f'href="/admin/invoices/{issued.pk}/payment"' in actions
    assert "Send" in actions and "Mark as sent" in actions and "New client link" in actions
    assert "Edit" not in actions and "Cancel invoice" not in actions  # it has a payment
    credit = html.split('id="client-credit"')[1].split("</div></div>")[0]
    assert "300.00 RON" in credit  # only the credit in the invoice's currency
    assert f'action="/admin/invoices/{issued.pk}/apply-credit"' in html
    # An agent sees the money but records nothing.
    agent_html = login_as(agent).get(issued.get_absolute_url()).content.decode()
    assert 'id="client-credit"' in agent_html and 'id="apply-credit"' not in agent_html
    assert "Record Payment" not in actions_of(login_as(agent).get(issued.get_absolute_url()))


def test_a_foreign_currency_invoice_shows_its_ron_equivalent(login_as, agent, account):
    invoice = InvoiceFactory(client=account, assigned_to=agent, currency="EUR",
                             exchange_rate=Decimal("4.9750"))
    html = login_as(agent).get(invoice.get_absolute_url()).content.decode()
    assert 'data-total="ron">8,328.10 RON' in html  # 1673.99 × 4.975


def test_the_trail_and_history_of_an_invoice_made_from_an_order(login_as, agent, account):
    order = sales_order_create(actor=agent, client=account, lines=[line()])
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.CONFIRMED)
    invoice = invoice_from_order(actor=agent, order=order)
    html = login_as(agent).get(invoice.get_absolute_url()).content.decode()
    trail = html.split('id="document-trail"')[1].split("</nav>")[0]
    assert f'href="{order.get_absolute_url()}"' in trail and invoice.number in trail
    assert f"created from sales order {order.number}" in html


def test_other_agents_invoices_are_404(login_as, other_agent, draft):
    http = login_as(other_agent)
    for url in (draft.get_absolute_url(), edit_url(draft), f"/admin/invoices/{draft.pk}/pdf"):
        assert http.get(url).status_code == 404, url


def test_staff_pdf(login_as, agent, issued):
    response = login_as(agent).get(f"/admin/invoices/{issued.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="CRM000001.pdf"'
    assert "CRM000001" in pdf_text(response.content)
