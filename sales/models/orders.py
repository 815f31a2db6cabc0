from django.db import models
from django.urls import reverse
from django_fsm import FSMIntegerField, FSMModelMixin

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

    objects = SalesOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [("view_all_salesorder", "Can view all sales orders, not only own")]
        indexes = [
            models.Index(fields=["status", "-id"], name="salesorder_status_idx"),
            models.Index(fields=["assigned_to", "-id"], name="salesorder_agent_idx"),
            models.Index(fields=["client", "-id"], name="salesorder_client_idx"),
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


class SalesOrderLine(DocumentLine):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass
