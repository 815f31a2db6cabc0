"""Whatever the lines, the discount, the currency and the payments, an invoice's amounts agree
to the ban everywhere it shows them: the one totals function, the stored header, the staff
page, the PDF, the client portal, the list row and the exports."""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import PaymentMode
from billing.pdf import invoice_context, invoice_pdf
from billing.services.invoices import invoice_create, invoice_issue, invoice_regenerate_link
from billing.services.payments import payment_record
from crmconnect.core.money import Line, document_totals, round_money

from ..pdf_reading import pdf_text
from ..sales.test_totals_property import (
    discount_strategy,
    expected_printed,
    lines_strategy,
    shown,
    totals_printed,
)

currency_strategy = st.sampled_from([("RON", Decimal(1)), ("EUR", Decimal("4.9731"))])


def exported(response):
    rows = list(csv.DictReader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1
    return rows[0]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=lines_strategy, discount=discount_strategy, currency=currency_strategy,
       paid_share=st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2))
def test_amounts_agree_everywhere(client, manager, sales_admin, account, rows, discount,
                                  currency, paid_share):
    code, rate = currency
    lines = [{"description": f"Line {number}", "unit": "pcs", "vat_category": "S", **row}
             for number, row in enumerate(rows, start=1)]
    totals = document_totals([Line(quantity=row["quantity"], unit_price=row["unit_price"],
                                   vat_rate=row["vat_rate"],
                                   discount_percent=row["discount_percent"]) for row in rows],
                             discount_percent=discount)
    invoice = invoice_create(actor=manager, client=account, currency=code, exchange_rate=rate,
                             discount_percent=discount, lines=lines)
    assert (invoice.subtotal, invoice.discount_total, invoice.vat_total, invoice.total) == (
        totals.subtotal, totals.discount, totals.vat, totals.total)
    if totals.total > 0:
        invoice = invoice_issue(actor=sales_admin, invoice=invoice)
        paid = round_money(totals.total * paid_share)
        if paid > 0:
            payment_record(actor=sales_admin, invoice=invoice, amount=paid,
                           mode=PaymentMode.objects.get(kind=PaymentMode.Kind.BANK_TRANSFER))
        invoice.refresh_from_db()
        assert invoice.amount_paid == paid and invoice.balance == totals.total - paid
    expected = expected_printed(totals)
    if code != "RON":
        expected["ron"] = shown(round_money(totals.total * rate))

    client.force_login(manager)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert totals_printed(page).items() >= expected.items()
    if not invoice.is_draft:
        assert f'data-balance="{invoice.balance}">{shown(invoice.balance)} {code}' in page

    context = invoice_context(invoice)
    html = render_to_string("billing/pdf/invoice.html", context)
    printed = totals_printed(html)
    assert printed.items() >= expected.items()
    pdf = pdf_text(invoice_pdf(invoice))
    for amount in (shown(totals.total), *(shown(group.vat) for group in totals.vat_groups)):
        assert amount in pdf

    if not invoice.is_draft:
        assert printed["balance"] == shown(invoice.balance)
        link = invoice_regenerate_link(actor=sales_admin, invoice=invoice)
        portal = client.get(link.split("/", 3)[3].join(["/", ""])).content.decode()
        assert totals_printed(portal).items() >= {**expected,
                                                  "balance": shown(invoice.balance)}.items()

    query = f"q={invoice.number}&client={account.pk}"
    listed = client.get(f"/admin/invoices/list_invoices?{query}").content.decode()
    assert f'data-total="{totals.total}">{shown(totals.total)} {code}' in listed
    row = exported(client.get(f"/admin/invoices/export?format=csv&{query}"))
    assert [Decimal(row[name]) for name in ("Subtotal", "VAT", "Total", "Balance")] == [
        totals.subtotal, totals.vat, totals.total, invoice.balance]
