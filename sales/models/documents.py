"""The shared shape of commercial documents (proposals, sales orders and, one layer up, the
billing documents): a header with client, currency, dates, people and stored totals, and
lines totalled by the one totals function (crmconnect.core.money)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crmconnect.clients.models import Client, Contact
from crmconnect.company.models import CURRENCY_CHOICES, VatRate
from crmconnect.core.money import Line, document_totals, round_money

from .fields import AmountField, PercentField, PriceField, QuantityField


class CommercialDocument(models.Model):
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="%(class)ss")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")
    exchange_rate = models.DecimalField(
        max_digits=12, decimal_places=6, default=Decimal(1),
        help_text="RON for one unit of the currency, when it is not RON.")
    date = models.DateField(default=timezone.localdate)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="sales agent")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    discount_percent = PercentField("document discount %")
    terms = models.TextField("terms and conditions", blank=True)
    notes = models.TextField("internal notes", blank=True,
                             help_text="Staff only: never shown to the client.")
    subtotal = AmountField()
    discount_total = AmountField()
    vat_total = AmountField("VAT")
    total = AmountField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                                   name="%(app_label)s_%(class)s_discount_range"),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0),
                                   name="%(app_label)s_%(class)s_rate_positive"),
        ]

    def totals(self):
        """Totals of the lines as they are in the database (ordered, as shown)."""
        return document_totals([line.as_money_line() for line in self.lines.all()],
                               discount_percent=self.discount_percent)

    def store_totals(self, totals):
        self.subtotal = totals.subtotal
        self.discount_total = totals.discount
        self.vat_total = totals.vat
        self.total = totals.total

    @property
    def total_ron(self):
        """The total in RON for a document in another currency; None for RON."""
        if self.currency == "RON":
            return None
        return round_money(self.total * self.exchange_rate)


class DocumentLine(models.Model):
    """One line; the copy of its price is the document's: later catalogue or price-list
    changes never reach a document already made."""

    item = models.ForeignKey("sales.Item", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    quantity = QuantityField(default=Decimal(1))
    unit = models.CharField(max_length=20, blank=True)
    unit_price = PriceField()
    discount_percent = PercentField("discount %")
    vat_rate = models.DecimalField("VAT %", max_digits=7, decimal_places=4)
    vat_category = models.CharField(max_length=2, choices=VatRate.CATEGORY_CHOICES, default="S")
    price_source = models.CharField(max_length=160, blank=True,
                                    help_text="Where the unit price came from.")
    net = AmountField()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0),
                                   name="%(app_label)s_%(class)s_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0),
                                   name="%(app_label)s_%(class)s_price_not_negative"),
            models.CheckConstraint(condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                                   name="%(app_label)s_%(class)s_discount_range"),
            models.CheckConstraint(condition=Q(vat_rate__gte=0, vat_rate__lte=100),
                                   name="%(app_label)s_%(class)s_vat_range"),
        ]

    def __str__(self):
        return self.description.splitlines()[0][:80] if self.description else ""

    def as_money_line(self):
        return Line(quantity=self.quantity, unit_price=self.unit_price, vat_rate=self.vat_rate,
                    discount_percent=self.discount_percent)

    LINE_FIELDS = ("item", "description", "quantity", "unit", "unit_price", "discount_percent",
                   "vat_rate", "vat_category", "price_source")

    def copy_values(self):
        """The line's content, to copy into another document's line."""
        return {name: getattr(self, name) for name in self.LINE_FIELDS}
