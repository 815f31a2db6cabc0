"""Every change to price lists, discount groups and what a client or client group pays: one
transaction each, a permission check and a line in the activity log. A client's pricing is
logged on the client, so it shows in the client's history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes
from crmconnect.clients.models import Client

from ..models import (
    ClientPricing,
    DiscountGroup,
    DiscountRate,
    GroupPricing,
    PriceList,
    PriceListEntry,
)
from .catalogue import CatalogueRecord, require

PRICE_LISTS = CatalogueRecord(PriceList, ("name", "currency", "description", "active"),
                              "price_list")
DISCOUNT_GROUPS = CatalogueRecord(DiscountGroup, ("name", "description"), "discount_group")


def _locked_list(actor, price_list):
    require(actor, "sales.change_pricelist")
    return PriceList.objects.select_for_update().get(pk=price_list.pk)


def _locked_discount_group(actor, discount_group):
    require(actor, "sales.change_discountgroup")
    return DiscountGroup.objects.select_for_update().get(pk=discount_group.pk)


def _number(value):
    return f"{value.normalize():f}"


# --- price lists -------------------------------------------------------------------------

@transaction.atomic
def price_list_create(*, actor, **values):
    return PRICE_LISTS.create(actor, values)


@transaction.atomic
def price_list_update(*, actor, price_list, **values):
    return PRICE_LISTS.update(actor, price_list, values)


@transaction.atomic
def price_list_delete(*, actor, price_list):
    """Its clients and client groups fall back to the catalogue (or their group's list);
    documents already made keep their prices."""
    PRICE_LISTS.delete(actor, price_list)


@transaction.atomic
def price_entry_add(*, actor, price_list, item, min_quantity, unit_price):
    """A price of `item` from `min_quantity` up; one price per item and quantity in a list.
    The list's currency may differ from the item's: the entry is in the list's currency."""
    price_list = _locked_list(actor, price_list)
    entry = PriceListEntry(price_list=price_list, item=item, min_quantity=min_quantity,
                           unit_price=unit_price)
    entry.full_clean()
    entry.save()
    activity_record(actor=actor, event="price_list.entry_added", record=price_list,
                    description=f"Price list “{price_list}”: {entry}",
                    changes={"entry": [None, str(entry)]})
    return entry


@transaction.atomic
def price_entry_delete(*, actor, entry):
    price_list = _locked_list(actor, entry.price_list)
    entry = price_list.entries.select_related("item").get(pk=entry.pk)
    text = str(entry)
    entry.delete()
    activity_record(actor=actor, event="price_list.entry_removed", record=price_list,
                    description=f"Price list “{price_list}”: removed {text}",
                    changes={"entry": [text, None]})


@transaction.atomic
def price_list_assign_group(*, actor, price_list, group):
    """The list of client group `group` (replacing the one it had): its clients without a list
    of their own get these prices."""
    price_list = _locked_list(actor, price_list)
    assignment = GroupPricing.objects.select_for_update().select_related("price_list").filter(
        group=group).first()
    previous = assignment.price_list if assignment else None
    if previous == price_list:
        return assignment
    assignment, _ = GroupPricing.objects.update_or_create(group=group,
                                                          defaults={"price_list": price_list})
    activity_record(actor=actor, event="price_list.group_assigned", record=price_list,
                    description=f"Price list “{price_list}” assigned to client group “{group}”",
                    changes={f"group {group}": [previous and str(previous), str(price_list)]})
    return assignment


@transaction.atomic
def price_list_unassign_group(*, actor, assignment):
    """The client group keeps no list: its clients fall back to the catalogue."""
    price_list = _locked_list(actor, assignment.price_list)
    assignment = GroupPricing.objects.select_related("group").get(pk=assignment.pk)
    group = assignment.group
    assignment.delete()
    activity_record(actor=actor, event="price_list.group_unassigned", record=price_list,
                    description=f"Price list “{price_list}” no longer applies to client group "
                                f"“{group}”",
                    changes={f"group {group}": [str(price_list), None]})


# --- discount groups ---------------------------------------------------------------------

@transaction.atomic
def discount_group_create(*, actor, **values):
    return DISCOUNT_GROUPS.create(actor, values)


@transaction.atomic
def discount_group_update(*, actor, discount_group, **values):
    return DISCOUNT_GROUPS.update(actor, discount_group, values)


@transaction.atomic
def discount_group_delete(*, actor, discount_group):
    """Its clients keep their price lists and lose only the discount."""
    DISCOUNT_GROUPS.delete(actor, discount_group)


@transaction.atomic
def discount_rate_set(*, actor, discount_group, item_group, percent):
    """The group's percentage for `item_group` (added, or replacing the one it had)."""
    discount_group = _locked_discount_group(actor, discount_group)
    rate = DiscountRate.objects.filter(discount_group=discount_group,
                                       item_group=item_group).first()
    previous = rate.percent if rate else None
    rate = rate or DiscountRate(discount_group=discount_group, item_group=item_group)
    rate.percent = percent
    rate.full_clean()
    if previous == rate.percent:
        return rate
    rate.save()
    activity_record(actor=actor, event="discount_group.rate_set", record=discount_group,
                    description=f"Discount group “{discount_group}”: {rate}",
                    changes={str(item_group): [previous and _number(previous),
                                               _number(rate.percent)]})
    return rate


@transaction.atomic
def discount_rate_delete(*, actor, rate):
    discount_group = _locked_discount_group(actor, rate.discount_group)
    rate = discount_group.rates.select_related("item_group").get(pk=rate.pk)
    text = str(rate)
    rate.delete()
    activity_record(actor=actor, event="discount_group.rate_removed", record=discount_group,
                    description=f"Discount group “{discount_group}”: removed {text}",
                    changes={str(rate.item_group): [_number(rate.percent), None]})


# --- a client's pricing ------------------------------------------------------------------

@transaction.atomic
def client_pricing_set(*, actor, client, price_list, discount_group):
    """The client's own price list and discount group (None: the group's list or the
    catalogue; no discount). The client must be one the actor can see."""
    require(actor, "sales.change_clientpricing")
    client = Client.objects.visible_to(actor).select_for_update().filter(pk=client.pk).first()
    if client is None:
        raise PermissionDenied
    pricing = (ClientPricing.objects.select_for_update(of=("self",))
               .select_related("price_list", "discount_group").filter(client=client).first()
               or ClientPricing(client=client))
    changes = apply_changes(pricing, {"price_list": price_list,
                                      "discount_group": discount_group},
                            ("price_list", "discount_group"))
    if not changes:
        return pricing
    pricing.save()
    activity_record(actor=actor, event="client.pricing_changed", record=client,
                    description=f"Pricing of “{client.name}” changed", changes=changes)
    return pricing
