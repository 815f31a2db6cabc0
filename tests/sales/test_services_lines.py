"""Writing a document's lines and stored totals (sales/services/lines.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sales.models import ProposalLine
from sales.services.lines import line_values, lines_replace

from ..factories import line


def test_lines_are_replaced_in_order_with_rounded_nets_and_totals(proposal, item):
    totals = lines_replace(proposal, [
        line(item, quantity=Decimal("1.5"), discount_percent=Decimal("10")),
        line(description="  Travel  ", unit_price=Decimal("0.333"), quantity=Decimal(3),
             vat_rate=Decimal(0), vat_category="Z"),
    ])
    rows = list(proposal.lines.all())
    assert [(row.position, row.description) for row in rows] == [(0, "Security audit"),
                                                                  (1, "Travel")]
    assert [row.net for row in rows] == [Decimal("337.50"), Decimal("1.00")]
    assert rows[1].vat_category == "Z" and rows[0].item == item
    assert (proposal.subtotal, proposal.vat_total, proposal.total) == (
        Decimal("338.50"), Decimal("70.88"), Decimal("409.38"))
    assert totals.line_nets == (Decimal("337.50"), Decimal("1.00"))
    assert ProposalLine.objects.filter(proposal=proposal).count() == 2


def test_a_document_discount_comes_off_each_rate(proposal):
    proposal.discount_percent = Decimal(10)
    lines_replace(proposal, [line(unit_price=Decimal("100.00")),
                             line(unit_price=Decimal("50.00"), vat_rate=Decimal(11))])
    assert (proposal.subtotal, proposal.discount_total) == (Decimal("150.00"),
                                                            Decimal("15.00"))
    assert proposal.vat_total == Decimal("18.90") + Decimal("4.95")
    assert proposal.total == Decimal("135.00") + Decimal("23.85")


def test_the_description_defaults_to_the_items_name(proposal, item):
    lines_replace(proposal, [line(item, description="")])
    assert proposal.lines.get().description == "Security audit"


@pytest.mark.parametrize(("values", "problem"), [
    ({"description": " "}, "a description"),
    ({"quantity": Decimal("-1")}, "a quantity above zero"),
    ({"unit_price": Decimal("-0.01")}, "a price of zero or more"),
    ({"discount_percent": Decimal(101)}, "a discount between 0 and 100"),
    ({"vat_rate": Decimal(-1)}, "a VAT rate between 0 and 100"),
])
def test_a_wrong_line_is_refused_and_the_old_lines_stay(proposal, values, problem):
    with pytest.raises(ValidationError, match=f"Line 2 needs {problem}"):
        lines_replace(proposal, [line(), line(**values)])
    assert proposal.lines.count() == 2
    with pytest.raises(ValidationError, match="at least one line"):
        lines_replace(proposal, [])


def test_line_values_copy_a_documents_lines(proposal, account):
    from ..factories import ProposalFactory

    copy = ProposalFactory(client=account, lines=line_values(proposal.lines.all()))
    assert [row.copy_values() for row in copy.lines.all()] == [
        row.copy_values() for row in proposal.lines.all()]
    assert copy.total == proposal.total
