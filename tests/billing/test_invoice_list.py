"""The invoices list: status codes (4 = past due with money owed), named views, search, sort,
period, scope, the empty states and its query count."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Invoice
from billing.services.invoices import invoice_issue
from billing.services.payments import payment_record
from crmconnect.staff import roles

from ..factories import InvoiceFactory, TaxedClientFactory, line

URL = "/admin/invoices/list_invoices"
Status = Invoice.Status
TODAY = timezone.localdate()


def make_invoice(agent, client, *, issue_by=None, days_old=0, due_in=15, lines=None,
                 **values):
    """A draft of `agent` for `client`, dated `days_old` days ago and due `due_in` days after
    today (negative: past due); with `issue_by` (a user who may issue), issued."""
    date = TODAY - datetime.timedelta(days=days_old)
    invoice = InvoiceFactory(client=client, assigned_to=agent, created_by=agent, date=date,
                             due_date=TODAY + datetime.timedelta(days=due_in),
                             **({"lines": lines} if lines is not None else {}), **values)
    return invoice_issue(actor=issue_by, invoice=invoice) if issue_by else invoice


def pay(actor, invoice, amount, mode):
    payment_record(actor=actor, invoice=invoice, amount=Decimal(amount), mode=mode)
    invoice.refresh_from_db()
    return invoice


def numbers(response):
    assert response.status_code == 200, response.status_code
    return [invoice.number for invoice in response.context["page_obj"]]


@pytest.fixture
def book(agent, account, sales_admin, bank_transfer):
    """One invoice of each kind the views tell apart."""
    issue = {"issue_by": sales_admin}
    return {
        "draft": make_invoice(agent, account),
        "unsent": make_invoice(agent, account, **issue),
        "overdue": make_invoice(agent, account, days_old=40, due_in=-10, **issue),
        "late_partial": pay(sales_admin, make_invoice(agent, account, days_old=40, due_in=-5,
                                                     **issue), "100.00", bank_transfer),
        "partial": pay(sales_admin, make_invoice(agent, account, **issue), "100.00",
                       bank_transfer),
        "paid": pay(sales_admin, make_invoice(agent, account, **issue), "1673.99",
                    bank_transfer),
    }


def test_the_two_addresses_show_the_same_list(login_as, agent, book):
    http = login_as(agent)
    assert numbers(http.get("/admin/invoices")) == numbers(http.get(URL))
    assert len(numbers(http.get(URL))) == 6


def test_status_4_lists_every_invoice_past_due_with_money_owed(login_as, agent, book):
    assert book["late_partial"].status == Status.PARTIALLY_PAID
    response = login_as(agent).get(URL, {"status": Status.OVERDUE})
    assert set(numbers(response)) == {book["overdue"].number, book["late_partial"].number}
    row = response.content.decode().split(f'data-invoice="{book["late_partial"].pk}"')[1]
    row = row.split("</tr>")[0]
    # Listed as overdue, shown with its own status and the days past the due date.
    assert 'data-status="3"' in row and "Partially Paid" in row
    assert 'data-overdue="5"' in row and "5 days overdue" in row


def test_other_status_codes_are_exact(login_as, agent, book):
    http = login_as(agent)
    assert numbers(http.get(URL, {"status": Status.PARTIALLY_PAID})) == [
        book["partial"].number, book["late_partial"].number]
    assert numbers(http.get(URL, {"status": Status.DRAFT})) == [book["draft"].number]
    assert numbers(http.get(URL, {"status": Status.PAID})) == [book["paid"].number]
    assert numbers(http.get(URL, {"status": Status.UNPAID})) == [book["unsent"].number]


@pytest.mark.parametrize(("view", "keys"), [
    ("draft", ["draft"]),
    ("unsent", ["partial", "late_partial", "overdue", "unsent"]),
    ("overdue", ["late_partial", "overdue"]),
    ("partially_paid", ["partial", "late_partial"]),
    ("paid", ["paid"]),
])
def test_named_views(login_as, agent, book, view, keys):
    assert numbers(login_as(agent).get(URL, {"filter": view})) == [book[key].number
                                                                   for key in keys]


def test_a_sent_invoice_leaves_the_unsent_view(login_as, agent, book):
    Invoice.objects.filter(pk=book["unsent"].pk).update(sent=True)
    http = login_as(agent)
    assert book["unsent"].number not in numbers(http.get(URL, {"filter": "unsent"}))
    html = http.get(URL).content.decode()
    assert html.count('data-sent="1"') == 1 and html.count('data-sent="0"') == 4


def test_search_by_number_draft_number_client_and_cui(login_as, agent, account, book,
                                                      sales_admin):
    other = make_invoice(agent, TaxedClientFactory(owner=agent, name="Gamma Trading SRL"),
                         issue_by=sales_admin)
    http = login_as(agent)
    unsent = book["unsent"]
    assert unsent.number == "CRM000001"
    assert numbers(http.get(URL, {"q": "CRM000001"})) == ["CRM000001"]
    assert numbers(http.get(URL, {"q": "crm000001"})) == ["CRM000001"]
    assert numbers(http.get(URL, {"q": "crm1"})) == ["CRM000001"]
    assert numbers(http.get(URL, {"q": book["draft"].number})) == [book["draft"].number]
    assert numbers(http.get(URL, {"q": "gamma"})) == [other.number]
    assert numbers(http.get(URL, {"q": other.client.cui})) == [other.number]
    assert numbers(http.get(URL, {"client": other.client_id})) == [other.number]


def test_period_currency_and_sort(login_as, agent, account, sales_admin):
    old = make_invoice(agent, account, days_old=40, due_in=-1,
                       lines=[line(unit_price=Decimal("900"))])
    recent = make_invoice(agent, account, currency="EUR", exchange_rate=Decimal("5"),
                          due_in=30, lines=[line(unit_price=Decimal("10"))])
    http = login_as(agent)
    since = (TODAY - datetime.timedelta(days=30)).isoformat()
    assert numbers(http.get(URL, {"date_from": since})) == [recent.number]
    assert numbers(http.get(URL, {"date_to": since})) == [old.number]
    assert numbers(http.get(URL, {"currency": "EUR"})) == [recent.number]
    assert numbers(http.get(URL, {"o": "total"})) == [recent.number, old.number]
    assert numbers(http.get(URL, {"o": "-total"})) == [old.number, recent.number]
    assert numbers(http.get(URL, {"o": "date"})) == [old.number, recent.number]
    assert numbers(http.get(URL, {"o": "-due_date"})) == [recent.number, old.number]
    invoice_issue(actor=sales_admin, invoice=recent)
    invoice_issue(actor=sales_admin, invoice=old)
    # The number sort follows the series: the older invoice was issued second.
    assert numbers(http.get(URL, {"o": "number"})) == ["CRM000001", "CRM000002"]
    assert numbers(http.get(URL, {"o": "-status"})) == ["CRM000002", "CRM000001"]


def test_agent_sees_own_invoices_and_a_manager_filters_by_agent(login_as, agent, other_agent,
                                                               manager, account):
    mine = make_invoice(agent, account)
    theirs = make_invoice(other_agent, TaxedClientFactory(owner=other_agent))
    response = login_as(agent).get(URL)
    assert numbers(response) == [mine.number]
    assert "assigned" not in response.context["filter"].form.fields
    http = login_as(manager)
    assert numbers(http.get(URL)) == [theirs.number, mine.number]
    assert numbers(http.get(URL, {"assigned": agent.pk})) == [mine.number]
    assert numbers(http.get(URL, {"assigned": "me"})) == []


def test_a_role_without_invoices_gets_403(login_as, make_user):
    assert login_as(make_user(roles.SDR)).get(URL).status_code == 403


def test_columns_and_empty_states(login_as, agent, account, sales_admin):
    http = login_as(agent)
    assert "No invoices yet." in http.get(URL).content.decode()
    invoice = make_invoice(agent, account, issue_by=sales_admin)
    html = http.get(URL).content.decode()
    row = html.split(f'data-invoice="{invoice.pk}"')[1].split("</tr>")[0]
    assert "CRM000001" in row and "Not Sent" in row and account.name in row
    assert 'data-total="1673.99"' in row and "1,673.99 RON" in row
    assert 'data-balance="1673.99"' in row and str(agent) in row
    assert "No invoices match these filters." in http.get(
        URL, {"filter": "paid"}).content.decode()


def test_the_unpaid_export_link_is_for_exporters_only(login_as, agent, sales_admin):
    assert "Unpaid — ageing" not in login_as(agent).get(URL).content.decode()
    html = login_as(sales_admin).get(URL, {"status": 4}).content.decode()
    assert "Unpaid — ageing" in html
    assert "/admin/invoices/unpaid/export?status=4&amp;format=csv" in html


def test_query_count_does_not_grow_with_rows(assert_constant_queries, manager, agent,
                                             other_agent, account, sales_admin, bank_transfer):
    make_invoice(agent, account, issue_by=sales_admin, days_old=30, due_in=-3)

    def add_rows():
        for owner in (agent, other_agent):
            client = TaxedClientFactory(owner=owner)
            for _ in range(3):
                pay(sales_admin, make_invoice(owner, client, issue_by=sales_admin, days_old=30,
                                              due_in=-3), "10.00", bank_transfer)

    assert_constant_queries(f"{URL}?status=4&o=due_date", add_rows, user=manager)
    assert_constant_queries(f"{URL}?q=client", add_rows, user=manager)
