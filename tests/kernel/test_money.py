from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmconnect.core.money import Line, document_totals, round_money

D = Decimal
quantities = st.decimals(min_value=D("0.001"), max_value=D("10000"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("100000"), places=4)
percents = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
rates = st.sampled_from([D("21"), D("11"), D("0")])
lines = st.lists(st.builds(Line, quantity=quantities, unit_price=prices, vat_rate=rates,
                           discount_percent=percents), min_size=1, max_size=30)


def test_a_worked_example():
    totals = document_totals([
        Line(quantity=D("3"), unit_price=D("33.3333"), vat_rate=D("21")),  # 99.9999 → 100.00
        Line(quantity=D("1.5"), unit_price=D("10.05"), vat_rate=D("11"),
             discount_percent=D("10")),  # 15.075 × 0.9 = 13.5675 → 13.57
    ])
    assert totals.line_nets == (D("100.00"), D("13.57"))
    assert [(g.rate, g.base, g.vat) for g in totals.vat_groups] == [
        (D("21"), D("100.00"), D("21.00")), (D("11"), D("13.57"), D("1.49"))]
    assert (totals.net, totals.vat, totals.total) == (D("113.57"), D("22.49"), D("136.06"))


def test_rounding_is_half_up():
    assert round_money(D("0.005")) == D("0.01")
    assert round_money(D("2.675")) == D("2.68")


def test_a_document_discount_comes_off_each_rates_base():
    totals = document_totals([Line(quantity=D(1), unit_price=D(200), vat_rate=D(21)),
                              Line(quantity=D(1), unit_price=D(100), vat_rate=D(0))],
                             discount_percent=D(10))
    assert [(g.base, g.vat) for g in totals.vat_groups] == [(D("180.00"), D("37.80")),
                                                            (D("90.00"), D("0.00"))]
    assert (totals.subtotal, totals.discount, totals.total) == (D("300.00"), D("30.00"),
                                                                D("307.80"))


def test_a_discount_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        document_totals([], discount_percent=D(101))


@given(lines, percents)
def test_the_parts_always_add_up_to_the_ban(items, discount):
    totals = document_totals(items, discount_percent=discount)
    assert all(net == net.quantize(D("0.01")) for net in totals.line_nets)
    assert totals.subtotal == sum(totals.line_nets)
    assert totals.net == sum(g.base for g in totals.vat_groups) == totals.subtotal - totals.discount
    assert totals.vat == sum(g.vat for g in totals.vat_groups)
    assert totals.total == totals.net + totals.vat
    for group in totals.vat_groups:
        assert group.vat == round_money(group.base * group.rate / 100)


@given(lines)
def test_the_order_of_the_lines_does_not_change_the_totals(items):
    assert document_totals(items).total == document_totals(list(reversed(items))).total
