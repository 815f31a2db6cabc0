from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import RETURN_VALUE, FSMIntegerField, FSMModelMixin, transition

from crmconnect.core.scope import scoped
from sales.models import Proposal, SalesOrder
from sales.models.documents import CommercialDocument, DocumentLine
from sales.models.fields import AmountField, PercentField

from .settings import Series


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, owner_fields=["assigned_to"])

    def receivable(self):
        """Issued, not cancelled, with money still owed."""
        return self.filter(status__in=Invoice.OPEN)

    def overdue(self, today=None):
        """Owed money past the due date: Unpaid and Overdue, and Partially Paid invoices past
        their due date (their status stays 3). Does not wait for the nightly status job."""
        return self.receivable().filter(due_date__lt=today or timezone.localdate())


class Invoice(FSMModelMixin, CommercialDocument):
    """An invoice. Billing documents share this table and tell themselves apart by `kind`
    (proformas, credit and debit notes come with their own rules in the services)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"

    class Status(models.IntegerChoices):
        UNPAID = 1, "Unpaid"
        PAID = 2, "Paid"
        PARTIALLY_PAID = 3, "Partially Paid"
        OVERDUE = 4, "Overdue"
        CANCELLED = 5, "Cancelled"
        DRAFT = 6, "Draft"

    OPEN = (Status.UNPAID, Status.PARTIALLY_PAID, Status.OVERDUE)
    SETTLED = (*OPEN, Status.PAID)

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    status = FSMIntegerField(choices=Status.choices, default=Status.DRAFT, protected=True)
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="invoices",
                               help_text="The number is taken from it when the draft is issued.")
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    full_number = models.CharField("number", max_length=40, blank=True, editable=False)
    due_date = models.DateField()
    payment_terms = models.TextField(blank=True)
    payment_modes = models.ManyToManyField("billing.PaymentMode", blank=True,
                                           related_name="+", verbose_name="payment modes allowed")
    document_vat_rate = PercentField(
        "one VAT rate for every line", null=True, blank=True, default=None,
        help_text="Leave empty for VAT per line.")
    sent = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    amount_paid = AmountField("paid", help_text="Payments and client credit applied.")
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="invoice")
    sales_order = models.OneToOneField(SalesOrder, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="invoice")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    viewed_at = models.DateTimeField(null=True, blank=True)
    # The parties as they were when the invoice was issued: later edits of the client or
    # the company never change an issued invoice.
    seller = models.JSONField(default=dict, blank=True, editable=False)
    buyer = models.JSONField(default=dict, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("view_all_invoice", "Can view all invoices, not only own"),
            ("export_invoice", "Can export invoices"),
            ("issue_invoice", "Can issue invoices (assign the number)"),
            ("send_invoice", "Can send invoices to clients"),
            ("cancel_invoice", "Can cancel invoices"),
        ]
        # Every filter and sort of the list, for everyone and for an agent's own invoices.
        # A sort runs on (field, id) in either direction (the id breaks ties the same way),
        # so the status and number indexes also serve ?status=2 newest first.
        indexes = [
            models.Index(fields=["status", "id"], name="invoice_status_idx"),
            models.Index(fields=["assigned_to", "status", "id"], name="invoice_agent_status_idx"),
            models.Index(fields=["assigned_to", "-id"], name="invoice_agent_idx"),
            models.Index(fields=["client", "-id"], name="invoice_client_idx"),
            models.Index(fields=["-date", "-id"], name="invoice_date_idx"),
            models.Index(fields=["assigned_to", "-date", "-id"], name="invoice_agent_date_idx"),
            models.Index(fields=["-total", "-id"], name="invoice_total_idx"),
            models.Index(fields=["assigned_to", "-total", "-id"], name="invoice_agent_total_idx"),
            models.Index(fields=["due_date", "id"], name="invoice_due_date_idx"),
            models.Index(fields=["assigned_to", "due_date", "id"],
                         name="invoice_agent_due_date_idx"),
            models.Index(fields=["due_date", "-id"], name="invoice_due_idx",
                         condition=Q(status__in=[1, 3, 4])),
            models.Index(fields=["assigned_to", "due_date", "-id"], name="invoice_agent_due_idx",
                         condition=Q(status__in=[1, 3, 4])),
            models.Index(fields=["full_number", "id"], name="invoice_number_idx"),
            models.Index(fields=["assigned_to", "full_number", "id"],
                         name="invoice_agent_number_idx"),
        ]
        constraints = [
            *CommercialDocument.Meta.constraints,
            models.CheckConstraint(condition=Q(client__isnull=False), name="invoice_has_client"),
            models.UniqueConstraint(fields=["series", "sequence"], name="invoice_unique_number"),
            # What is printed is unique too, whatever series it came from.
            models.UniqueConstraint(fields=["kind", "full_number"], condition=~Q(full_number=""),
                                    name="invoice_unique_printed_number"),
            models.CheckConstraint(
                condition=(Q(status=6, sequence__isnull=True)
                           | (~Q(status=6) & Q(sequence__isnull=False, series__isnull=False))),
                name="invoice_number_when_issued"),
            models.CheckConstraint(condition=Q(amount_paid__gte=0, amount_paid__lte=F("total")),
                                   name="invoice_paid_within_total"),
            models.CheckConstraint(condition=Q(status=5) | Q(cancelled_at__isnull=True),
                                   name="invoice_cancelled_at_only_when_cancelled"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("billing:invoice_detail", args=[self.pk])

    @property
    def number(self):
        """The series number once issued; drafts have none yet."""
        if self.full_number:
            return self.full_number
        return f"DRAFT-{self.pk:06d}" if self.pk else "DRAFT"

    @property
    def balance(self):
        return self.total - self.amount_paid

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_open(self):
        return self.status in self.OPEN

    def is_overdue(self, today=None):
        return self.is_open and self.due_date < (today or timezone.localdate())

    def days_overdue(self, today=None):
        return max(((today or timezone.localdate()) - self.due_date).days, 0)

    def payment_status(self, today=None):
        """What the money says the status of an issued invoice is."""
        if self.amount_paid >= self.total:
            return self.Status.PAID
        if self.amount_paid > 0:
            return self.Status.PARTIALLY_PAID
        if self.due_date < (today or timezone.localdate()):
            return self.Status.OVERDUE
        return self.Status.UNPAID

    def has_no_payments(self):
        return self.amount_paid == Decimal(0)

    @transition(field=status, source=Status.DRAFT, target=Status.UNPAID,
                permission="billing.issue_invoice")
    def issue(self):
        self.issued_at = timezone.now()

    @transition(field=status, source=list(SETTLED),
                target=RETURN_VALUE(*SETTLED))
    def settle(self, today=None):
        """Follow the money and the calendar: payments, credit applied or removed, the due
        date passing."""
        return self.payment_status(today)

    @transition(field=status, source=[Status.UNPAID, Status.OVERDUE], target=Status.CANCELLED,
                permission="billing.cancel_invoice", conditions=[has_no_payments])
    def cancel(self):
        self.cancelled_at = timezone.now()

    issue.alters_data = settle.alters_data = cancel.alters_data = True


class InvoiceLine(DocumentLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass
