"""Whatever the lines, the totals agree to the ban everywhere a proposal shows them: the one
totals function, the stored header, the staff page, the PDF's HTML, the client portal, the
list row and the export."""

import csv
import io
import re
from decimal import Decimal

from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmconnect.core.money import Line, document_totals
from sales.pdf import document_context
from sales.services.proposals import proposal_create

from .conftest import with_link

VAT_RATES = [Decimal(rate) for rate in (0, 11, 21, 9, 19)]

lines_strategy = st.lists(st.fixed_dictionaries({
    "quantity": st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999"), places=3),
    "unit_price": st.decimals(min_value=Decimal(0), max_value=Decimal("99999"), places=4),
    "discount_percent": st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
    "vat_rate": st.sampled_from(VAT_RATES),
}), min_size=1, max_size=6)
discount_strategy = st.one_of(st.just(Decimal(0)), st.decimals(
    min_value=Decimal(0), max_value=Decimal(100), places=2))


def shown(amount):
    """An amount as the pages print it (two decimals, thousands separated)."""
    return f"{amount:,.2f}"


def totals_printed(html):
    """{name: amount text} of the totals table (the data-total cells) in a page."""
    return dict(re.findall(r'data-total="([\w.-]+)">−?([\d,]+\.\d\d) ', html))


def expected_printed(totals):
    expected = {"subtotal": shown(totals.subtotal), "total": shown(totals.total)}
    if totals.discount:
        expected["discount"] = shown(totals.discount)
    for group in totals.vat_groups:
        expected[f"vat-{group.rate.normalize():f}"] = shown(group.vat)
    return expected


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=lines_strategy, discount=discount_strategy)
def test_totals_agree_everywhere(client, manager, account, rows, discount):
    lines = [{"description": f"Line {number}", "unit": "pcs", "vat_category": "S", **row}
             for number, row in enumerate(rows, start=1)]
    proposal = proposal_create(actor=manager, client=account, subject="Property",
                               discount_percent=discount, lines=lines)
    totals = document_totals([Line(quantity=row["quantity"], unit_price=row["unit_price"],
                                   vat_rate=row["vat_rate"],
                                   discount_percent=row["discount_percent"]) for row in rows],
                             discount_percent=discount)
    assert totals.subtotal - totals.discount + totals.vat == totals.total
    assert sum(group.base for group in totals.vat_groups) == totals.net
    proposal.refresh_from_db()
    assert (proposal.subtotal, proposal.discount_total, proposal.vat_total, proposal.total) == (
        totals.subtotal, totals.discount, totals.vat, totals.total)
    assert [line.net for line in proposal.lines.all()] == list(totals.line_nets)
    expected = expected_printed(totals)

    client.force_login(manager)
    staff_page = client.get(proposal.get_absolute_url()).content.decode()
    assert totals_printed(staff_page) == expected
    assert f"data-header-total>{shown(totals.total)} RON" in staff_page

    pdf_html = render_to_string("sales/pdf/proposal.html", document_context(proposal))
    assert totals_printed(pdf_html) == expected
    assert re.findall(r'class="text-end text-nowrap line-net">([\d,.]+)<', pdf_html) == [
        shown(net) for net in totals.line_nets]

    token = with_link(proposal)
    assert totals_printed(client.get(f"/p/{token}/").content.decode()) == expected

    listed = client.get(f"/admin/proposals?q={proposal.number}").content.decode()
    assert f'data-total="{totals.total}">{shown(totals.total)} RON' in listed

    export = client.get(f"/admin/proposals/export?format=csv&q={proposal.number}")
    rows_out = list(csv.DictReader(io.StringIO(
        b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows_out) == 1
    assert [Decimal(rows_out[0][name]) for name in ("Subtotal", "Discount", "VAT", "Total")] == [
        totals.subtotal, totals.discount, totals.vat, totals.total]
