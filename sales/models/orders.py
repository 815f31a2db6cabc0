from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMIntegerField, FSMModelMixin, transition

from crmconnect.core.scope import scoped

from .documents import CommercialDocument, DocumentLine
from .proposals import Proposal


class SalesOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, owner_fields=["assigned_to"])


class SalesOrder(FSMModelMixin, CommercialDocument):
    class Status(models.IntegerChoices):
        NEW = 1, "New"
        CONFIRMED = 2, "Confirmed"
        INVOICED = 3, "Invoiced"
        CANCELLED = 4, "Cancelled"

    status = FSMIntegerField(choices=Status.choices, default=Status.NEW, protected=True)
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="sales_order")
    client_reference = models.CharField("client's order reference", max_length=100, blank=True,
                                        help_text="The client's purchase order number, if any.")
    awaiting_warehouse = models.BooleanField(
        "awaiting warehouse confirmation", default=False,
        help_text="Physical delivery: the warehouse still has to confirm stock.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    objects = SalesOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("view_all_salesorder", "Can view all sales orders, not only own"),
            ("confirm_salesorder", "Can confirm and cancel sales orders"),
            ("export_salesorder", "Can export sales orders"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="salesorder_status_idx"),
            models.Index(fields=["assigned_to", "status", "-id"],
                         name="salesorder_agent_status_idx"),
            models.Index(fields=["assigned_to", "-id"], name="salesorder_agent_idx"),
            models.Index(fields=["client", "-id"], name="salesorder_client_idx"),
            models.Index(fields=["-date", "-id"], name="salesorder_date_idx"),
            models.Index(fields=["-total", "-id"], name="salesorder_total_idx"),
            models.Index(fields=["assigned_to", "-date", "-id"], name="salesorder_agent_date_idx"),
            models.Index(fields=["assigned_to", "-total", "-id"],
                         name="salesorder_agent_total_idx"),
        ]
        constraints = [
            *CommercialDocument.Meta.constraints,
            models.CheckConstraint(condition=models.Q(client__isnull=False),
                                   name="salesorder_has_client"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("sales:order_detail", args=[self.pk])

    @property
    def number(self):
        return f"SO-{self.pk:06d}" if self.pk else "SO-new"

    @property
    def is_editable(self):
        return self.status == self.Status.NEW

    @transition(field=status, source=Status.NEW, target=Status.CONFIRMED,
                permission="sales.confirm_salesorder")
    def confirm(self):
        self.confirmed_at = timezone.now()

    @transition(field=status, source=[Status.NEW, Status.CONFIRMED], target=Status.CANCELLED,
                permission="sales.confirm_salesorder")
    def cancel(self):
        self.cancelled_at = timezone.now()

    @transition(field=status, source=Status.CONFIRMED, target=Status.INVOICED)
    def mark_invoiced(self):
        """Called by the invoicing module when the order's invoice is made."""

    @transition(field=status, source=Status.INVOICED, target=Status.CONFIRMED)
    def reopen_invoicing(self):
        """Called by the invoicing module when the order's draft invoice is deleted."""

    confirm.alters_data = cancel.alters_data = mark_invoiced.alters_data = True
    reopen_invoicing.alters_data = True


class SalesOrderLine(DocumentLine):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass
