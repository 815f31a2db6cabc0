"""The invoices export and the unpaid invoices aged for the finance manager: filters, scope,
formats and the ageing boundaries."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from billing.exports import AGEING, ageing_column
from billing.models import Invoice
from billing.services.invoices import invoice_cancel

from ..factories import TaxedClientFactory
from .test_invoice_list import make_invoice, pay

EXPORT_URL = "/admin/invoices/export"
UNPAID_URL = "/admin/invoices/unpaid/export"
BUCKETS = [title for title, _ in AGEING]


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(("days", "column"), [
    (-5, "Not due"), (0, "Not due"), (1, "1–30 days"), (30, "1–30 days"), (31, "31–60 days"),
    (60, "31–60 days"), (61, "61–90 days"), (90, "61–90 days"), (91, "Over 90 days"),
    (400, "Over 90 days"),
])
def test_ageing_boundaries(days, column):
    assert BUCKETS[ageing_column(days)] == column


def test_each_balance_lands_in_one_ageing_column(login_as, finance, agent, account,
                                                 sales_admin):
    past_due = [0, 30, 31, 60, 61, 90, 91]
    invoices = {days: make_invoice(agent, account, issue_by=sales_admin, days_old=days + 15,
                                   due_in=-days) for days in past_due}
    rows = {row["Number"]: row for row in csv_rows(login_as(finance).get(UNPAID_URL))}
    assert set(rows) == {invoice.number for invoice in invoices.values()}
    expected = {0: "Not due", 30: "1–30 days", 31: "31–60 days", 60: "31–60 days",
                61: "61–90 days", 90: "61–90 days", 91: "Over 90 days"}
    for days, invoice in invoices.items():
        row = rows[invoice.number]
        assert row["Days overdue"] == str(days)
        assert row["Balance"] == "1673.99" and row[expected[days]] == "1673.99"
        assert [bucket for bucket in BUCKETS if row[bucket]] == [expected[days]]
    # Oldest due date first.
    assert list(rows) == [invoices[days].number for days in reversed(past_due)]


def test_only_receivable_invoices_with_what_is_still_owed(login_as, finance, agent, account,
                                                          sales_admin, bank_transfer):
    partial = pay(sales_admin, make_invoice(agent, account, issue_by=sales_admin, days_old=50,
                                            due_in=-35), "500.00", bank_transfer)
    pay(sales_admin, make_invoice(agent, account, issue_by=sales_admin), "1673.99",
        bank_transfer)
    invoice_cancel(actor=sales_admin, reason="Wrong client",
                   invoice=make_invoice(agent, account, issue_by=sales_admin))
    make_invoice(agent, account)  # a draft
    (row,) = csv_rows(login_as(finance).get(UNPAID_URL))
    assert row["Number"] == partial.number and row["CUI"] == account.cui
    assert row["Client"] == account.name and row["Currency"] == "RON"
    assert (row["Total"], row["Paid"], row["Balance"]) == ("1673.99", "500.00", "1173.99")
    assert row["31–60 days"] == "1173.99" and row["Days overdue"] == "35"


def test_the_lists_filters_and_the_users_scope_apply(login_as, manager, agent, other_agent,
                                                     account, sales_admin):
    mine = make_invoice(agent, account, issue_by=sales_admin, days_old=40, due_in=-10)
    make_invoice(agent, account, issue_by=sales_admin)
    theirs = make_invoice(other_agent, TaxedClientFactory(owner=other_agent),
                          issue_by=sales_admin, days_old=40, due_in=-10)
    http = login_as(manager)
    assert len(csv_rows(http.get(UNPAID_URL))) == 3
    overdue = csv_rows(http.get(UNPAID_URL, {"status": Invoice.Status.OVERDUE}))
    assert [row["Number"] for row in overdue] == [mine.number, theirs.number]
    assert [row["Number"] for row in csv_rows(
        http.get(UNPAID_URL, {"status": 4, "assigned": agent.pk}))] == [mine.number]


def test_unpaid_xlsx_and_permission(login_as, finance, agent, account, sales_admin):
    invoice = make_invoice(agent, account, issue_by=sales_admin, days_old=100, due_in=-95)
    response = login_as(finance).get(UNPAID_URL, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows()]
    values = dict(zip(header, row, strict=True))
    assert values["Number"] == invoice.number and values["Over 90 days"] == 1673.99
    assert values["Not due"] is None
    assert login_as(agent).get(UNPAID_URL).status_code == 403
    assert login_as(finance).get(UNPAID_URL, {"format": "pdf"}).status_code == 400


def test_invoices_export_follows_the_filters(login_as, manager, agent, other_agent, account,
                                             sales_admin):
    issued = make_invoice(agent, account, issue_by=sales_admin, currency="EUR",
                          exchange_rate=Decimal("4.97"))
    make_invoice(agent, account)
    make_invoice(other_agent, TaxedClientFactory(owner=other_agent))
    http = login_as(manager)
    assert len(csv_rows(http.get(EXPORT_URL))) == 3
    (row,) = csv_rows(http.get(EXPORT_URL, {"currency": "EUR"}))
    assert row["Number"] == issued.number and row["Status"] == "Unpaid"
    assert row["Sent"] == "no" and row["Total"] == "1673.99" and row["Balance"] == "1673.99"
    assert row["CUI"] == account.cui and row["Agent"] == str(agent)
    assert row["Exchange rate"] == "4.970000"
    drafts = csv_rows(http.get(EXPORT_URL, {"filter": "draft"}))
    assert len(drafts) == 2 and {row["Sent"] for row in drafts} == {""}
    assert login_as(agent).get(EXPORT_URL).status_code == 403
