"""The payments list: views (credit left, voided), filters, search, sort, scope, the empty
state, the export and the query count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from billing.models import PaymentMode
from billing.services.invoices import invoice_issue
from billing.services.payments import payment_record, payment_void

from ..factories import ClientFactory, InvoiceFactory, TaxedClientFactory

URL = "/admin/payments"


def receipts(response):
    assert response.status_code == 200, response.status_code
    return [payment.receipt_number for payment in response.context["page_obj"]]


@pytest.fixture
def cash(db):
    return PaymentMode.objects.get(kind=PaymentMode.Kind.CASH)


@pytest.fixture
def payments(sales_admin, finance, account, other_agent, issued, bank_transfer, cash):
    """CHT000001 on the invoice (bank, 10 days ago), CHT000002 an advance in EUR (cash),
    CHT000003 of another agent's client (voided), CHT000004 an advance in RON today."""
    today = timezone.localdate()
    on_invoice = payment_record(actor=sales_admin, invoice=issued, amount=Decimal("500.00"),
                                mode=bank_transfer, transaction_reference="OP 4411",
                                date=today - datetime.timedelta(days=10))
    advance_eur = payment_record(actor=sales_admin, client=account, currency="EUR",
                                 amount=Decimal("80.00"), mode=cash,
                                 date=today - datetime.timedelta(days=5))
    stranger = ClientFactory(owner=other_agent, name="Gamma Trading SRL")
    voided = payment_record(actor=sales_admin, client=stranger, currency="RON",
                            amount=Decimal("1200.00"), mode=bank_transfer,
                            date=today - datetime.timedelta(days=2))
    payment_void(actor=finance, payment=voided, reason="Duplicate")
    advance_ron = payment_record(actor=sales_admin, client=account, currency="RON",
                                 amount=Decimal("20.00"), mode=bank_transfer)
    return on_invoice, advance_eur, voided, advance_ron


def test_views_filters_and_search(login_as, sales_admin, account, payments, cash):
    http = login_as(sales_admin)
    assert receipts(http.get(URL)) == ["CHT000004", "CHT000003", "CHT000002", "CHT000001"]
    assert receipts(http.get(URL, {"filter": "unapplied"})) == ["CHT000004", "CHT000002"]
    assert receipts(http.get(URL, {"filter": "voided"})) == ["CHT000003"]
    assert receipts(http.get(URL, {"mode": cash.pk})) == ["CHT000002"]
    assert receipts(http.get(URL, {"currency": "EUR"})) == ["CHT000002"]
    assert receipts(http.get(URL, {"client": account.pk})) == ["CHT000004", "CHT000002",
                                                               "CHT000001"]
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert receipts(http.get(URL, {"date_from": week_ago})) == ["CHT000004", "CHT000003",
                                                                "CHT000002"]
    assert receipts(http.get(URL, {"date_to": week_ago})) == ["CHT000001"]
    assert receipts(http.get(URL, {"q": "cht000003"})) == ["CHT000003"]
    assert receipts(http.get(URL, {"q": "4411"})) == ["CHT000001"]
    assert receipts(http.get(URL, {"q": "gamma"})) == ["CHT000003"]
    assert receipts(http.get(URL, {"o": "amount"})) == ["CHT000004", "CHT000002",
                                                        "CHT000001", "CHT000003"]
    assert receipts(http.get(URL, {"o": "-amount"}))[0] == "CHT000003"

    html = http.get(URL, {"client": account.pk}).content.decode()
    assert "Payments of <a" in html and "Beta Logistics SRL" in html
    assert f'href="/admin/payments/add?client={account.pk}"' in html


def test_the_rows_show_what_is_left_and_what_was_voided(login_as, sales_admin, payments):
    html = login_as(sales_admin).get(URL).content.decode()
    assert 'data-payment-state="credit">Credit 80.00 EUR' in html
    assert 'data-payment-state="voided">Voided' in html
    assert 'data-payment-state="applied">Applied' in html
    assert "OP 4411" in html and "Gamma Trading SRL" in html


def test_an_agent_sees_the_payments_of_their_clients_only(login_as, agent, manager,
                                                          payments):
    assert receipts(login_as(agent).get(URL)) == ["CHT000004", "CHT000002", "CHT000001"]
    assert len(receipts(login_as(manager).get(URL))) == 4


def test_an_agent_sees_the_payments_on_their_invoice_for_a_client_they_do_not_own(
        login_as, agent, other_agent, sales_admin, bank_transfer):
    """The invoice page lists its payments; it links a payment and its receipt only for the
    users whose scope the payment is in (the client's owner), never to a 404."""
    invoice = invoice_issue(actor=sales_admin, invoice=InvoiceFactory(
        client=TaxedClientFactory(owner=other_agent), assigned_to=agent))
    payment = payment_record(actor=sales_admin, invoice=invoice, amount=Decimal("10"),
                             mode=bank_transfer)
    receipt_url = reverse("billing:payment_receipt", args=[payment.pk])
    page = login_as(agent).get(invoice.get_absolute_url()).content.decode()
    assert payment.receipt_number in page
    assert payment.get_absolute_url() not in page and receipt_url not in page
    assert login_as(agent).get(payment.get_absolute_url()).status_code == 404
    owner = login_as(other_agent)
    assert owner.get(payment.get_absolute_url()).status_code == 200
    assert owner.get(receipt_url).status_code == 200


def test_empty_states(login_as, sales_admin, issued, bank_transfer):
    http = login_as(sales_admin)
    assert "No payments yet." in http.get(URL).content.decode()
    payment_record(actor=sales_admin, invoice=issued, amount=Decimal("1"), mode=bank_transfer)
    assert "No payments match these filters." in http.get(
        URL, {"filter": "voided"}).content.decode()


def test_query_count_does_not_grow_with_rows(assert_constant_queries, manager, agent,
                                             other_agent, sales_admin, issued, bank_transfer,
                                             cash):
    payment_record(actor=sales_admin, invoice=issued, amount=Decimal("1"), mode=bank_transfer)

    def add_rows():
        for owner, mode in ((agent, cash), (other_agent, bank_transfer)):
            client = ClientFactory(owner=owner)
            for _ in range(3):
                payment_record(actor=sales_admin, client=client, currency="RON",
                               amount=Decimal("10"), mode=mode)

    assert_constant_queries(URL, add_rows, user=manager)


def test_export_csv_follows_the_filters_and_names_the_invoices(login_as, sales_admin,
                                                               payments):
    response = login_as(sales_admin).get(f"{URL}/export", {"format": "csv",
                                                           "currency": "RON"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content)
                                       .decode("utf-8-sig"))))
    header = rows[0]
    assert header[:6] == ["Receipt", "Date", "Client", "CUI", "Currency", "Amount"]
    by_receipt = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert sorted(by_receipt) == ["CHT000001", "CHT000003", "CHT000004"]
    assert by_receipt["CHT000001"]["Invoices"] == "CRM000001 (500.00)"
    assert by_receipt["CHT000004"]["Unapplied (credit)"] == "20.00"
    assert by_receipt["CHT000003"]["Void reason"] == "Duplicate"
    assert by_receipt["CHT000003"]["Voided"] != ""


def test_export_xlsx_and_permission(login_as, sales_admin, agent, payments):
    response = login_as(sales_admin).get(f"{URL}/export", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Receipt" and len(rows) == 5
    assert login_as(agent).get(f"{URL}/export").status_code == 403  # agents do not export


def test_export_query_count_does_not_grow_with_rows(login_as, sales_admin, payments, issued,
                                                    bank_transfer):
    http = login_as(sales_admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            b"".join(http.get(f"{URL}/export", {"format": "csv"}).streaming_content)
        return len(queries)

    before = count()
    for _ in range(3):
        payment_record(actor=sales_admin, invoice=issued, amount=Decimal("1"),
                       mode=bank_transfer)
    assert count() == before
