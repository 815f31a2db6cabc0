"""Every change to the catalogue (items and item groups): one transaction each, a permission
check and a line in the activity log. `CatalogueRecord` and its create/update/delete steps are
shared with the price lists and discount groups of `pricing.py`."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes

from ..models import Item, ItemGroup


def require(actor, permission):
    if not actor.has_perm(permission):
        raise PermissionDenied


@dataclass(frozen=True)
class CatalogueRecord:
    """A kind of catalogue row: its model, the fields a form may set, and the stem of its
    activity events (`<event>.created`, `.updated`, `.deleted`)."""

    model: type
    fields: tuple
    event: str

    @property
    def noun(self):
        return self.model._meta.verbose_name.capitalize()

    def perm(self, action):
        return f"sales.{action}_{self.model._meta.model_name}"

    def log(self, actor, record, action, changes=None, name=None):
        activity_record(actor=actor, event=f"{self.event}.{action}",
                        record=record if action != "deleted" else None, changes=changes,
                        description=f"{self.noun} “{name or record}” {action}")

    def create(self, actor, values, **extra):
        require(actor, self.perm("add"))
        record = self.model(**extra)
        apply_changes(record, values, self.fields)
        record.full_clean()
        record.save()
        self.log(actor, record, "created")
        return record

    def update(self, actor, record, values):
        require(actor, self.perm("change"))
        record = self.model.objects.select_for_update().get(pk=record.pk)
        changes = apply_changes(record, values, self.fields)
        record.full_clean()
        record.save()
        if changes:
            self.log(actor, record, "updated", changes)
        return record

    def delete(self, actor, record):
        """The log line is not linked to the deleted row; it keeps the row's name."""
        require(actor, self.perm("delete"))
        record = self.model.objects.select_for_update().get(pk=record.pk)
        name = str(record)
        record.delete()
        self.log(actor, record, "deleted", {"name": [name, None]}, name=name)


ITEMS = CatalogueRecord(Item, ("code", "name", "description", "unit", "unit_price", "currency",
                               "vat_rate", "purchase_price", "group", "active"), "item")
ITEM_GROUPS = CatalogueRecord(ItemGroup, ("name", "description"), "item_group")


@transaction.atomic
def item_create(*, actor, **values):
    return ITEMS.create(actor, values, created_by=actor)


@transaction.atomic
def item_update(*, actor, item, **values):
    return ITEMS.update(actor, item, values)


@transaction.atomic
def item_delete(*, actor, item):
    """Document lines keep their own copy (their link to the item is cleared); the item's
    price-list entries go with it."""
    ITEMS.delete(actor, item)


@transaction.atomic
def item_group_create(*, actor, **values):
    return ITEM_GROUPS.create(actor, values)


@transaction.atomic
def item_group_update(*, actor, group, **values):
    return ITEM_GROUPS.update(actor, group, values)


@transaction.atomic
def item_group_delete(*, actor, group):
    """Its items stay, without a group; discount rates for the group go with it."""
    ITEM_GROUPS.delete(actor, group)
