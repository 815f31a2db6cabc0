"""Numbering series (billing/services/numbering.py): formatted numbers, one default per
document type, gapless because a rolled-back issue puts its number back, and the database
refusing a duplicate number or a number on a draft."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import Invoice, Series
from billing.services.invoices import invoice_issue
from billing.services.numbering import default_series, number_take

from ..factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def test_the_seeded_series_and_their_format():
    assert sorted(Series.objects.filter(is_default=True).values_list("document_type", "prefix")
                  ) == [("credit_note", "CN"), ("invoice", "CRM"), ("proforma", "PF"),
                        ("receipt", "CHT")]
    series = Series(prefix="FX-2026/", padding=4, next_number=7)
    assert (series.format(42), series.preview) == ("FX-2026/0042", "FX-2026/0007")
    assert Series(prefix="A", padding=2).format(12345) == "A12345"  # never truncated


def test_number_take_counts_up_and_returns_the_locked_row():
    series = default_series(Series.DocumentType.INVOICE)
    with transaction.atomic():
        taken = [number_take(series)[:2] for _ in range(3)]
    assert taken == [(1, "CRM000001"), (2, "CRM000002"), (3, "CRM000003")]
    series.refresh_from_db()
    assert series.next_number == 4


def test_a_rolled_back_transaction_gives_its_number_back():
    series = default_series(Series.DocumentType.INVOICE)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take(series)[1] == "CRM000001"
        raise RuntimeError("the issue failed after taking the number")
    assert number_take(series)[1] == "CRM000001"


def test_an_inactive_or_missing_series_is_refused():
    series = default_series(Series.DocumentType.RECEIPT)
    Series.objects.filter(pk=series.pk).update(active=False)
    with pytest.raises(ValidationError, match="is not active"):
        number_take(series)
    with pytest.raises(ValidationError, match="No active default series for receipts"):
        default_series(Series.DocumentType.RECEIPT)
    Series.objects.filter(document_type="proforma").delete()
    with pytest.raises(ValidationError, match="No active default series for proformas"):
        default_series(Series.DocumentType.PROFORMA)


def test_one_default_and_one_prefix_per_document_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        Series.objects.create(document_type="invoice", name="Second", prefix="SEC",
                              is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Series.objects.create(document_type="invoice", name="Same prefix", prefix="CRM")
    Series.objects.create(document_type="proforma", name="Same prefix, other type",
                          prefix="CRM")


def test_the_database_refuses_a_duplicate_number_and_a_numbered_draft(sales_admin):
    first = invoice_issue(actor=sales_admin, invoice=InvoiceFactory())
    second = invoice_issue(actor=sales_admin, invoice=InvoiceFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=second.pk).update(sequence=first.sequence)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceFactory(series=first.series, sequence=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=second.pk).update(sequence=None)


def test_the_database_refuses_two_invoices_printing_the_same_number(sales_admin, account):
    """Series set up behind the configuration page's back (CRM0 with 5 digits prints what CRM
    with 6 prints) still cannot give two invoices the same printed number."""
    overlapping = Series.objects.create(document_type=Series.DocumentType.INVOICE, name="Odd",
                                        prefix="CRM0", padding=5)
    invoice_issue(actor=sales_admin, invoice=InvoiceFactory(client=account))
    with pytest.raises(IntegrityError), transaction.atomic():
        invoice_issue(actor=sales_admin, invoice=InvoiceFactory(client=account,
                                                                series=overlapping))
