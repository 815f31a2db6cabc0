"""Money amounts and the one function that totals a commercial document.

Proposals, orders, invoices, credit notes and the e-Factura XML all total their lines here, so
the page, the PDF, the list and the XML agree to the ban: each line's net is rounded to two
decimals (half up), VAT is computed per rate over the sum of the rounded line nets at that
rate, and the document total is the sum of the parts. A discount on the whole document is a
percentage taken off each rate's base before its VAT."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def round_money(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount, currency=""):
    """An amount as messages and the activity log write it: "1,234.50 RON"."""
    text = f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = Decimal(0)  # percent
    discount_percent: Decimal = Decimal(0)

    @property
    def net(self):
        return round_money(self.quantity * self.unit_price * (HUNDRED - self.discount_percent)
                           / HUNDRED)


@dataclass(frozen=True)
class VatGroup:
    rate: Decimal
    base: Decimal  # after the document discount
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    line_nets: tuple
    subtotal: Decimal  # sum of the line nets
    discount: Decimal  # the document discount's amount
    net: Decimal  # subtotal - discount
    vat_groups: tuple = field(default_factory=tuple)  # by rate, highest first
    vat: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")


def document_totals(lines, *, discount_percent=Decimal(0)):
    """The totals of `lines` (Line objects) with an optional discount on the document."""
    if not Decimal(0) <= Decimal(discount_percent) <= HUNDRED:
        raise ValueError("A discount is a percentage between 0 and 100.")
    line_nets = tuple(line.net for line in lines)
    bases = {}
    for line, net in zip(lines, line_nets, strict=True):
        bases[Decimal(line.vat_rate)] = bases.get(Decimal(line.vat_rate), Decimal("0.00")) + net
    groups = []
    for rate in sorted(bases, reverse=True):
        base = bases[rate] - round_money(bases[rate] * discount_percent / HUNDRED)
        groups.append(VatGroup(rate=rate, base=base, vat=round_money(base * rate / HUNDRED)))
    subtotal = sum(line_nets, Decimal("0.00"))
    net = sum((group.base for group in groups), Decimal("0.00"))
    vat = sum((group.vat for group in groups), Decimal("0.00"))
    return Totals(line_nets=line_nets, subtotal=subtotal, discount=subtotal - net, net=net,
                  vat_groups=tuple(groups), vat=vat, total=net + vat)
