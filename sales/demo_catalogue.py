"""Demo catalogue for `manage.py seed_demo` (called from `sales.demo`): item groups, items a
Romanian IT services company sells, the price list "Key accounts 2026" with a volume tier and a
discount group, both given to the first demo client that has an account owner.

Rows are looked up by their natural key (group and list names, item codes, list + item +
quantity) before they are created, so seeding twice adds nothing the second time and never
overwrites what someone changed since."""

from decimal import Decimal

from django.db import transaction

from crmconnect.clients.models import Client
from crmconnect.company.models import VatRate

from .models import (
    ClientPricing,
    DiscountGroup,
    DiscountRate,
    Item,
    ItemGroup,
    PriceList,
    PriceListEntry,
)

LICENCES, SERVICES, HARDWARE = "Software licences", "Professional services", "Hardware & materials"
ITEM_GROUPS = {
    LICENCES: "Subscriptions and licences resold or provided as a service",
    SERVICES: "Consulting, implementation, support and training",
    HARDWARE: "Equipment and printed materials",
}

# (code, name, group, unit, unit price in RON, VAT %, purchase price)
ITEMS = [
    ("LIC-M365-BP", "Microsoft 365 Business Premium", LICENCES, "user/month", "105.00", "21",
     "86.00"),
    ("LIC-ERP-SMB", "ERP Cloud, SMB edition", LICENCES, "month", "450.00", "21", None),
    ("LIC-ESET-EP", "ESET Endpoint Protection, 1 year", LICENCES, "device", "189.00", "21",
     "140.00"),
    ("SRV-CONS", "IT consulting", SERVICES, "hour", "250.00", "21", None),
    ("SRV-GDPR-AUD", "GDPR compliance audit", SERVICES, "day", "2400.00", "21", None),
    ("SRV-EFACT", "RO e-Factura integration (ANAF SPV)", SERVICES, "project", "3500.00", "21",
     None),
    ("SRV-SUP-8X5", "Support contract 8x5", SERVICES, "month", "1800.00", "21", None),
    ("SRV-TRAIN", "On-site training", SERVICES, "participant", "350.00", "21", None),
    ("HW-LAPTOP-14", "Business laptop 14\"", HARDWARE, "pcs", "4299.00", "21", "3650.00"),
    ("HW-UPS-1500", "UPS 1500 VA, line-interactive", HARDWARE, "pcs", "1150.00", "21", "890.00"),
    ("PUB-MANUAL", "Printed user manual (book)", HARDWARE, "pcs", "120.00", "11", "45.00"),
]

KEY_ACCOUNTS = "Key accounts 2026"
# (item code, from quantity, unit price)
KEY_ACCOUNT_PRICES = [
    ("SRV-CONS", "1", "220.00"),
    ("SRV-CONS", "40", "195.00"),
    ("LIC-M365-BP", "1", "98.00"),
    ("LIC-M365-BP", "50", "92.00"),
    ("SRV-SUP-8X5", "1", "1600.00"),
]

PARTNERS = "Partner resellers"
PARTNER_RATES = {LICENCES: "10", HARDWARE: "5"}


def _vat_rate(rate):
    rate = Decimal(rate)
    return VatRate.objects.get_or_create(rate=rate, category="S",
                                         defaults={"name": f"VAT {rate:f}%"})[0]


@transaction.atomic
def seed_catalogue():
    """Create what is missing of the demo catalogue; return {label: rows created}."""
    created = {"item groups": 0, "items": 0, "price lists": 0, "prices": 0,
               "discount groups": 0}
    groups = {}
    for name, description in ITEM_GROUPS.items():
        groups[name], new = ItemGroup.objects.get_or_create(
            name=name, defaults={"description": description})
        created["item groups"] += new
    items = {}
    for code, name, group, unit, price, vat, purchase in ITEMS:
        items[code], new = Item.objects.get_or_create(code=code, defaults={
            "name": name, "group": groups[group], "unit": unit, "unit_price": Decimal(price),
            "currency": "RON", "vat_rate": _vat_rate(vat),
            "purchase_price": Decimal(purchase) if purchase else None})
        created["items"] += new

    price_list, new = PriceList.objects.get_or_create(name=KEY_ACCOUNTS, defaults={
        "currency": "RON", "description": "Negotiated prices for strategic accounts"})
    created["price lists"] += new
    for code, quantity, price in KEY_ACCOUNT_PRICES:
        created["prices"] += PriceListEntry.objects.get_or_create(
            price_list=price_list, item=items[code], min_quantity=Decimal(quantity),
            defaults={"unit_price": Decimal(price)})[1]

    partners, new = DiscountGroup.objects.get_or_create(name=PARTNERS, defaults={
        "description": "Resellers: a discount on licences and hardware"})
    created["discount groups"] += new
    for group, percent in PARTNER_RATES.items():
        DiscountRate.objects.get_or_create(discount_group=partners, item_group=groups[group],
                                           defaults={"percent": Decimal(percent)})

    client = Client.objects.filter(owner__isnull=False).order_by("pk").first()
    if client is not None:
        ClientPricing.objects.get_or_create(client=client, defaults={
            "price_list": price_list, "discount_group": partners})
    return created
