"""The invoice parts of other pages: the dashboard's overdue invoices, the client's Invoices
tab and the header search."""

from decimal import Decimal

from crmconnect.core.navigation import search_providers
from crmconnect.staff import roles

from ..factories import TaxedClientFactory
from .test_invoice_list import make_invoice, pay


def widget(html, key):
    return html.split(f'id="widget-{key}"')[1].split("</section>")[0]


def test_the_dashboard_shows_overdue_invoices_per_currency(login_as, agent, other_agent,
                                                           account, sales_admin,
                                                           bank_transfer):
    issue = {"issue_by": sales_admin}
    late = [make_invoice(agent, account, days_old=60, due_in=-days, **issue)
            for days in (3, 40, 12, 7, 25, 1)]
    partial = pay(sales_admin, make_invoice(agent, account, days_old=60, due_in=-50, **issue),
                  "73.99", bank_transfer)
    euro = make_invoice(agent, account, days_old=30, due_in=-2, currency="EUR",
                        exchange_rate=Decimal("5"), **issue)
    make_invoice(agent, account, **issue)  # not due yet
    make_invoice(agent, account, days_old=60, due_in=-9)  # a draft owes nothing
    make_invoice(other_agent, TaxedClientFactory(owner=other_agent), days_old=60, due_in=-90,
                 **issue)
    box = widget(login_as(agent).get("/admin").content.decode(), "overdue-invoices")
    totals = box.split('id="overdue-totals"')[1].split("</ul>")[0]
    assert "7 invoices" in totals and "11,643.94 RON" in totals  # 6 × 1673.99 + 1600.00
    assert "1 invoice<" in totals and "1,673.99 EUR" in totals
    rows = box.split('id="overdue-invoices"')[1].split("</ul>")[0]
    most_overdue = [partial, late[1], late[4], late[2], late[3]]  # 50, 40, 25, 12, 7 days
    assert [int(part.split('"')[0]) for part in rows.split('data-invoice="')[1:]] == [
        invoice.pk for invoice in most_overdue]
    assert f'href="{partial.get_absolute_url()}"' in rows and "50 days overdue" in rows
    assert euro.number not in rows
    assert 'href="/admin/invoices/list_invoices?status=4"' in box


def test_the_overdue_widget_when_nothing_is_late(login_as, agent, account, sales_admin):
    make_invoice(agent, account, issue_by=sales_admin)
    box = widget(login_as(agent).get("/admin").content.decode(), "overdue-invoices")
    assert "No invoice is past its due date." in box


def test_the_dashboard_query_count_does_not_grow_with_overdue_invoices(
        assert_constant_queries, manager, agent, other_agent, account, sales_admin):
    make_invoice(agent, account, issue_by=sales_admin, days_old=30, due_in=-5)

    def add_rows():
        for owner in (agent, other_agent):
            client = TaxedClientFactory(owner=owner)
            for days in (1, 8, 20):
                make_invoice(owner, client, issue_by=sales_admin, days_old=30, due_in=-days)

    assert_constant_queries("/admin", add_rows, user=manager)


def test_the_client_tab_lists_the_clients_invoices_and_what_it_owes(login_as, agent,
                                                                    sales_admin, account,
                                                                    bank_transfer):
    paid = pay(sales_admin, make_invoice(agent, account, issue_by=sales_admin), "1673.99",
               bank_transfer)
    owed = pay(sales_admin, make_invoice(agent, account, issue_by=sales_admin), "673.99",
               bank_transfer)
    draft = make_invoice(agent, account)
    elsewhere = make_invoice(agent, TaxedClientFactory(owner=agent), issue_by=sales_admin)
    html = login_as(agent).get(account.get_absolute_url()).content.decode()
    assert 'id="invoices-tab"' in html
    tab = html.split('id="invoices"')[1].split("</section>")[0]
    for invoice in (paid, owed, draft):
        assert f'href="{invoice.get_absolute_url()}"' in tab
    assert elsewhere.number not in tab
    owed_row = tab.split('id="client-receivable"')[1].split("</ul>")[0]
    assert "1,000.00 RON" in owed_row and "(1 invoice)" in owed_row
    assert f'href="/admin/invoices/add?client={account.pk}"' in tab
    assert f'href="/admin/invoices/list_invoices?client={account.pk}"' in tab


def test_the_client_tab_is_for_roles_with_invoices(login_as, make_user, account):
    sdr = make_user(roles.SDR)
    account.owner = sdr
    account.save()
    html = login_as(sdr).get(account.get_absolute_url()).content.decode()
    assert 'id="invoices-tab"' not in html


def invoices_found(user, text):
    provider = next(p for p in search_providers if p.label == "Invoices")
    return list(provider.search(user, text))


def test_header_search_by_number_and_client_within_scope(login_as, agent, other_agent,
                                                         account, sales_admin):
    mine = make_invoice(agent, account, issue_by=sales_admin)
    draft = make_invoice(agent, account)
    theirs = make_invoice(other_agent, TaxedClientFactory(owner=other_agent, name="Omega SRL"),
                          issue_by=sales_admin)
    assert invoices_found(agent, "CRM000001") == [mine]
    assert invoices_found(agent, draft.number) == [draft]
    assert invoices_found(agent, "Beta Logistics") == [draft, mine]
    assert invoices_found(agent, "Omega") == [] and invoices_found(agent, "CRM000002") == []
    assert invoices_found(other_agent, "Omega") == [theirs]
    html = login_as(agent).get("/admin/search", {"q": "CRM000001"}).content.decode()
    assert f'href="{mine.get_absolute_url()}">CRM000001' in html
    assert "Beta Logistics SRL" in html
