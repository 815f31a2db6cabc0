"""Billing configuration (/admin/billing/config): the settings row, the numbering series and
the payment modes. One transaction each, with a line in the activity log.

A series never gives a number twice: its next number stays above the highest number it
already gave (it may skip ahead, e.g. to continue the numbering of an earlier program), and
once it has numbered documents its prefix and document type stay. Each document type has one
default series: making a series the default takes it from the previous one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from crmconnect.activity.services import activity_record, apply_changes
from sales.services.access import require

from ..models import BillingSettings, Invoice, Payment, PaymentMode, Series

SETTINGS_FIELDS = ["due_days", "payment_terms", "send_auto_converted",
                   "allow_overpayment_to_credit"]
SERIES_FIELDS = ["document_type", "name", "prefix", "next_number", "padding", "is_default",
                 "active"]
MODE_FIELDS = ["name", "kind", "description", "is_default", "active", "ordering"]


@transaction.atomic
def billing_settings_update(*, actor, **values):
    require(actor, "billing.change_billingsettings")
    BillingSettings.load()
    config = BillingSettings.objects.select_for_update().get(pk=1)
    changes = apply_changes(config, values, SETTINGS_FIELDS)
    config.full_clean()
    config.save()
    if changes:
        activity_record(actor=actor, event="billing_settings.updated", record=config,
                        description=f"Billing settings updated: {', '.join(changes)}",
                        changes=changes)
    return config


def last_used_number(series):
    """The highest number `series` gave (to an invoice or a receipt); 0 before the first."""
    invoices = Invoice.objects.filter(series=series).aggregate(last=Max("sequence"))
    receipts = Payment.objects.filter(receipt_series=series).aggregate(
        last=Max("receipt_sequence"))
    return max(invoices["last"] or 0, receipts["last"] or 0)


def _check_series(series, *, before):
    """`before`: the series as stored (None for a new one)."""
    last = last_used_number(series) if before else 0
    if series.next_number <= last:
        raise ValidationError({"next_number": (
            f"{series.format(last)} is already used: the next number must be {last + 1} or "
            "more.")})
    if last and (series.prefix, series.document_type) != (before.prefix, before.document_type):
        raise ValidationError({"prefix": "This series has numbered documents, so its prefix "
                                         "and document type stay: add a new series instead."})
    others = (Series.objects.filter(document_type=series.document_type)
              .exclude(pk=series.pk).values_list("prefix", flat=True))
    clash = next((other for other in others if other.startswith(series.prefix)
                  or series.prefix.startswith(other)), None)
    if clash is not None:
        # CRM and CRM0 could print the same number (CRM000001 with padding 6 and 5).
        raise ValidationError({"prefix": (
            f"Another {series.get_document_type_display().lower()} series has the prefix "
            f"{clash}: one prefix may not begin with another, or two series could print the "
            "same number.")})
    if before and before.is_default and not series.is_default:
        raise ValidationError({"is_default": "Each document type needs a default series: make "
                                             "another series the default instead."})
    if series.is_default and not series.active:
        raise ValidationError({"active": "The default series must be active."})


def _save_series(series, *, before):
    _check_series(series, before=before)
    if series.is_default and not (before and before.is_default):
        (Series.objects.select_for_update()
         .filter(document_type=series.document_type, is_default=True)
         .exclude(pk=series.pk).update(is_default=False))
    series.full_clean()
    series.save()


@transaction.atomic
def series_create(*, actor, **values):
    require(actor, "billing.add_series")
    series = Series()
    apply_changes(series, values, SERIES_FIELDS)
    _save_series(series, before=None)
    activity_record(actor=actor, event="series.created", record=series,
                    description=f"Numbering series {series} added, next number "
                                f"{series.preview}")
    return series


@transaction.atomic
def series_update(*, actor, series, **values):
    """Locks the series as issuing does, so the check against the numbers used holds."""
    require(actor, "billing.change_series")
    series = Series.objects.select_for_update().get(pk=series.pk)
    before = Series(**{field: getattr(series, field) for field in SERIES_FIELDS})
    changes = apply_changes(series, values, SERIES_FIELDS)
    _save_series(series, before=before)
    if changes:
        activity_record(actor=actor, event="series.updated", record=series, changes=changes,
                        description=f"Numbering series {series} updated")
    return series


@transaction.atomic
def payment_mode_create(*, actor, **values):
    require(actor, "billing.add_paymentmode")
    mode = PaymentMode()
    apply_changes(mode, values, MODE_FIELDS)
    mode.full_clean()
    mode.save()
    activity_record(actor=actor, event="payment_mode.created", record=mode,
                    description=f"Payment mode {mode} added")
    return mode


@transaction.atomic
def payment_mode_update(*, actor, mode, **values):
    require(actor, "billing.change_paymentmode")
    mode = PaymentMode.objects.select_for_update().get(pk=mode.pk)
    changes = apply_changes(mode, values, MODE_FIELDS)
    mode.full_clean()
    mode.save()
    if changes:
        activity_record(actor=actor, event="payment_mode.updated", record=mode,
                        changes=changes, description=f"Payment mode {mode} updated")
    return mode
