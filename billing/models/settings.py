"""Numbering series and the one row of billing settings (/admin/billing/config)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from crmconnect.core.singleton import Singleton


class Series(models.Model):
    """A numbering series: one prefix, one counter. Numbers are taken under a row lock on the
    series inside the transaction that issues the document, so they are consecutive and,
    since a rollback also undoes the increment, gapless."""

    class DocumentType(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        PROFORMA = "proforma", "Proforma"
        CREDIT_NOTE = "credit_note", "Credit note"
        RECEIPT = "receipt", "Receipt"

    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20, help_text="Printed before the number, e.g. CRM.")
    next_number = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    padding = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Digits of the number, zero-padded: 6 gives CRM000042.")
    is_default = models.BooleanField("default for its document type", default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["document_type", "prefix"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["document_type", "prefix"],
                                    name="series_unique_prefix"),
            models.UniqueConstraint(fields=["document_type"], condition=Q(is_default=True),
                                    name="series_one_default"),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="series_next_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    def format(self, number):
        return f"{self.prefix}{number:0{self.padding}d}"

    @property
    def preview(self):
        """The number the next document of this series will get."""
        return self.format(self.next_number)


class BillingSettings(Singleton, models.Model):
    """The one row (pk=1) of invoicing defaults."""

    due_days = models.PositiveSmallIntegerField(
        "payment term (days)", default=15, validators=[MaxValueValidator(365)],
        help_text="New invoices are due this many days after their date.")
    payment_terms = models.TextField(
        "default payment terms", blank=True,
        default="Payment by bank transfer within the term shown on the invoice.")
    send_auto_converted = models.BooleanField(
        "issue and send invoices made on a portal accept", default=False,
        help_text="With automatic conversion on (Proposal settings), the invoice made when the "
                  "client accepts online is also issued and emailed, not left as a draft.")
    allow_overpayment_to_credit = models.BooleanField(
        "keep overpayments as client credit", default=True,
        help_text="When recording a payment above the balance, offer to keep the excess on "
                  "the client's account; otherwise such a payment is refused.")

    class Meta:
        verbose_name = verbose_name_plural = "billing settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="billingsettings_singleton")]

    def __str__(self):
        return "Billing settings"
