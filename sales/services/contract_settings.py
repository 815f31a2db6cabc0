"""The contract types and statuses (settings rows): one transaction each, with a line in the
activity log. A status contracts use, or the last one of its kind, is never deleted: the
software moves contracts into the first status of a kind when they are made, signed or
expire."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes

from ..models import Contract, ContractStatus, ContractType

FIELDS = {
    ContractType: ["name", "active"],
    ContractStatus: ["name", "kind", "color", "order"],
}


def _check(actor, action, model):
    if not actor.has_perm(f"sales.{action}_{model._meta.model_name}"):
        raise PermissionDenied


def _noun(model):
    return model._meta.verbose_name.capitalize()


def _log(actor, item, verb, changes=None):
    activity_record(actor=actor, event=f"contract_settings.{verb}", record=item,
                    description=f"{_noun(type(item))} “{item}” {verb}", changes=changes)


def _last_of_kind(status, kind):
    """Whether `status` is the only status of `kind`."""
    return not ContractStatus.objects.filter(kind=kind).exclude(pk=status.pk).exists()


def _kind_label(kind):
    return ContractStatus.Kind(kind).label.lower()


def _in_use(item):
    if isinstance(item, ContractStatus):
        return Contract.objects.filter(status=item).exists()
    return Contract.objects.filter(contract_type=item).exists()


@transaction.atomic
def contract_setting_create(*, actor, model, **values):
    _check(actor, "add", model)
    item = model()
    apply_changes(item, values, FIELDS[model])
    item.full_clean()
    item.save()
    _log(actor, item, "created")
    return item


@transaction.atomic
def contract_setting_update(*, actor, item, **values):
    model = type(item)
    _check(actor, "change", model)
    item = model.objects.select_for_update().get(pk=item.pk)
    old_kind = getattr(item, "kind", None)
    changes = apply_changes(item, values, FIELDS[model])
    if model is ContractStatus and item.kind != old_kind:
        if _in_use(item):
            raise ValidationError({"kind": "Contracts are in this status, so its kind stays: "
                                           "add a new status of the other kind instead."})
        if _last_of_kind(item, old_kind):
            raise ValidationError({"kind": f"This is the only {_kind_label(old_kind)} status: "
                                           "add another one first."})
    item.full_clean()
    item.save()
    if changes:
        _log(actor, item, "updated", changes)
    return item


@transaction.atomic
def contract_setting_delete(*, actor, item):
    """Delete a type or status no contract uses; a status only if another of its kind is
    left."""
    model = type(item)
    _check(actor, "delete", model)
    item = model.objects.select_for_update().get(pk=item.pk)
    name = str(item)
    if _in_use(item):
        instead = ("move them to another status first" if model is ContractStatus
                   else "deactivate it instead")
        raise ValidationError(f"“{name}” cannot be deleted: contracts use it; {instead}.")
    if model is ContractStatus and _last_of_kind(item, item.kind):
        raise ValidationError(f"“{name}” cannot be deleted: it is the only "
                              f"{_kind_label(item.kind)} status.")
    item.delete()
    activity_record(actor=actor, event="contract_settings.deleted",
                    description=f"{_noun(model)} “{name}” deleted",
                    changes={"name": [name, None]})
