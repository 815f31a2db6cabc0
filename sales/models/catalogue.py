from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from crmconnect.company.models import CURRENCY_CHOICES, VatRate

from .fields import PriceField


class ItemGroup(models.Model):
    """A category of items; discount groups give a percentage per item group."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Item(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField("unit of measure", max_length=20, default="pcs")
    unit_price = PriceField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")
    vat_rate = models.ForeignKey(VatRate, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="VAT rate")
    purchase_price = PriceField(null=True, blank=True,
                                help_text="What the item costs you; margin commissions use it.")
    group = models.ForeignKey(ItemGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="items")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name", "id"], name="item_name_idx"),
            models.Index(fields=["group", "name"], name="item_group_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="item_price_not_negative"),
            models.CheckConstraint(condition=Q(purchase_price__isnull=True)
                                   | Q(purchase_price__gte=0),
                                   name="item_purchase_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("sales:item_edit", args=[self.pk])
