"""Changing the company settings and the VAT rates."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from crmconnect.activity.services import activity_record, apply_changes

from .forms import SETTINGS_FIELDS
from .models import CompanySettings, VatRate

SECRET_FIELDS = {"smtp_password"}
VAT_RATE_FIELDS = ["name", "rate", "category", "is_default", "active", "ordering"]


def _mask(changes):
    for field in SECRET_FIELDS & changes.keys():
        changes[field] = ["***" if value else "" for value in changes[field]]
    return changes


@transaction.atomic
def company_settings_update(*, actor, ip_address=None, **values):
    CompanySettings.load()
    company = CompanySettings.objects.select_for_update().get(pk=1)
    changes = _mask(apply_changes(company, values, SETTINGS_FIELDS))
    company.full_clean()
    company.save()
    if changes:
        activity_record(actor=actor, event="settings.updated", record=company,
                        description=f"Company settings updated: {', '.join(changes)}",
                        changes=changes, ip_address=ip_address)
    return company


def _save_rate(rate, *, was_default):
    """Save `rate`, keeping exactly one active default rate."""
    if was_default and not rate.is_default:
        raise ValidationError({"is_default": "There must be a default rate: make another "
                                             "rate the default instead."})
    if rate.is_default and not rate.active:
        raise ValidationError({"active": "The default rate must be active."})
    if rate.is_default and not was_default:
        (VatRate.objects.select_for_update().filter(is_default=True)
         .exclude(pk=rate.pk).update(is_default=False))
    rate.full_clean(exclude=["is_default"])
    rate.save()


@transaction.atomic
def vat_rate_create(*, actor, **values):
    rate = VatRate()
    apply_changes(rate, values, VAT_RATE_FIELDS)
    _save_rate(rate, was_default=False)
    activity_record(actor=actor, event="vat_rate.created", record=rate,
                    description=f"VAT rate {rate} added")
    return rate


@transaction.atomic
def vat_rate_update(*, actor, vat_rate, **values):
    rate = VatRate.objects.select_for_update().get(pk=vat_rate.pk)
    was_default = rate.is_default
    changes = apply_changes(rate, values, VAT_RATE_FIELDS)
    _save_rate(rate, was_default=was_default)
    if changes:
        activity_record(actor=actor, event="vat_rate.updated", record=rate, changes=changes,
                        description=f"VAT rate {rate} updated")
    return rate


@transaction.atomic
def vat_rate_delete(*, actor, vat_rate):
    rate = VatRate.objects.select_for_update().get(pk=vat_rate.pk)
    if rate.is_default:
        raise ValidationError("The default VAT rate cannot be deleted: make another rate the "
                              "default first.")
    description = f"VAT rate {rate} deleted"
    try:
        rate.delete()
    except ProtectedError as exc:
        raise ValidationError("This VAT rate is used on documents: deactivate it instead of "
                              "deleting it.") from exc
    activity_record(actor=actor, event="vat_rate.deleted", description=description,
                    changes={"rate": [str(rate.rate), None], "name": [rate.name, None]})
