"""The price a client pays for an item: the client's own price list, else its group's list,
else the catalogue; a discount group adds its percentage for the item's group. The answer
says where the price came from, and the line keeps that note with its copy of the price."""

from dataclasses import dataclass
from decimal import Decimal

from .models import ClientPricing, DiscountRate, GroupPricing, PriceListEntry


@dataclass(frozen=True)
class Quote:
    unit_price: Decimal
    discount_percent: Decimal
    source: str


def _list_entry(price_list, item, quantity):
    """The list's entry for `quantity` (the highest tier not above it), or None."""
    return (PriceListEntry.objects
            .filter(price_list=price_list, item=item, min_quantity__lte=quantity)
            .order_by("-min_quantity").first())


@dataclass(frozen=True)
class Terms:
    price_list: object  # the list that applies (None: the catalogue)
    applies: str  # why it applies: "client's list", "group Key accounts", ""
    discount_group: object


def client_terms(client):
    """The price list and discount group that apply to `client` (None: no client)."""
    if client is None:
        return Terms(None, "", None)
    pricing = ClientPricing.objects.select_related("price_list", "discount_group").filter(
        client=client).first()
    discount_group = pricing.discount_group if pricing else None
    if pricing and pricing.price_list and pricing.price_list.active:
        return Terms(pricing.price_list, "client's list", discount_group)
    if client.group_id:
        group = GroupPricing.objects.select_related("price_list", "group").filter(
            group_id=client.group_id, price_list__active=True).first()
        if group:
            return Terms(group.price_list, f"group {group.group}", discount_group)
    return Terms(None, "", discount_group)


def quote(*, item, client=None, quantity=Decimal(1), currency=None):
    """What `client` pays for `quantity` of `item` in a document in `currency`."""
    quantity = Decimal(quantity)
    terms = client_terms(client)
    price_list, discount_group = terms.price_list, terms.discount_group
    entry = None
    if price_list is not None and (currency is None or price_list.currency == currency):
        entry = _list_entry(price_list, item, quantity)
    if entry is not None:
        tier = (f", from {entry.min_quantity.normalize():f} {item.unit}"
                if entry.min_quantity > 1 else "")
        price, source = entry.unit_price, f"Price list “{price_list}” ({terms.applies}{tier})"
    else:
        price, source = item.unit_price, "Catalogue"
        if currency and item.currency != currency:
            source = f"Catalogue, in {item.currency}: check the price"
    discount = Decimal(0)
    if discount_group is not None and item.group_id:
        rate = DiscountRate.objects.filter(discount_group=discount_group,
                                           item_group_id=item.group_id).first()
        if rate is not None and rate.percent:
            discount = rate.percent
            source += f" · discount group “{discount_group}” {rate.percent.normalize():f} %"
    return Quote(unit_price=price, discount_percent=discount, source=source)
