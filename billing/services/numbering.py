"""Taking the next number of a series. The caller's transaction holds the series row locked
until it commits, so two documents never get the same number; a rollback puts the number back,
so a series has no gaps."""

from django.core.exceptions import ValidationError

from ..models import Series


def default_series(document_type):
    series = Series.objects.filter(document_type=document_type, is_default=True,
                                   active=True).first()
    if series is None:
        label = Series.DocumentType(document_type).label.lower()
        raise ValidationError(f"No active default series for {label}s: set one up in "
                              f"Billing configuration.")
    return series


def number_take(series):
    """(sequence, formatted number) from `series`, locked for the rest of the transaction."""
    locked = Series.objects.select_for_update().get(pk=series.pk)
    if not locked.active:
        raise ValidationError(f"The series {locked} is not active.")
    sequence = locked.next_number
    locked.next_number = sequence + 1
    locked.save(update_fields=["next_number"])
    return sequence, locked.format(sequence), locked
