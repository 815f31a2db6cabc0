from django.db import models
from django.db.models import Q

from crmconnect.clients.models import Client, ClientGroup
from crmconnect.company.models import CURRENCY_CHOICES

from .catalogue import Item, ItemGroup
from .fields import PercentField, PriceField, QuantityField


class PriceList(models.Model):
    """Negotiated prices for the clients (or client groups) it is assigned to."""

    name = models.CharField(max_length=100, unique=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")
    description = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PriceListEntry(models.Model):
    """A price of one item in a list, from `min_quantity` up (several rows = volume tiers)."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="price_entries")
    min_quantity = QuantityField(default=1)
    unit_price = PriceField()

    class Meta:
        ordering = ["item__name", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "item", "min_quantity"],
                                    name="pricelistentry_unique_tier",
                                    violation_error_message="This item already has a price "
                                                            "from this quantity in the list."),
            models.CheckConstraint(condition=Q(min_quantity__gt=0),
                                   name="pricelistentry_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0),
                                   name="pricelistentry_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.item} from {self.min_quantity.normalize():f}: {self.unit_price}"


class DiscountGroup(models.Model):
    """A percentage off per item group, for the clients assigned to it."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DiscountRate(models.Model):
    discount_group = models.ForeignKey(DiscountGroup, on_delete=models.CASCADE,
                                       related_name="rates")
    item_group = models.ForeignKey(ItemGroup, on_delete=models.CASCADE, related_name="+")
    percent = PercentField()

    class Meta:
        ordering = ["item_group__name"]
        constraints = [
            models.UniqueConstraint(fields=["discount_group", "item_group"],
                                    name="discountrate_unique_item_group"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100),
                                   name="discountrate_percent_range"),
        ]

    def __str__(self):
        return f"{self.item_group}: {self.percent.normalize():f} %"


class ClientPricing(models.Model):
    """The price list and discount group of one client (declared here, above the clients app)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True,
                                  related_name="pricing")
    price_list = models.ForeignKey(PriceList, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="client_assignments")
    discount_group = models.ForeignKey(DiscountGroup, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="clients")

    def __str__(self):
        return f"Pricing of {self.client}"


class GroupPricing(models.Model):
    """The price list of a client group, used for its clients without a list of their own."""

    group = models.OneToOneField(ClientGroup, on_delete=models.CASCADE, primary_key=True,
                                 related_name="pricing")
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE,
                                   related_name="group_assignments")

    def __str__(self):
        return f"Pricing of {self.group}"
