import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crmconnect.core.scope import scoped

from .documents import CommercialDocument, DocumentLine
from .fields import AmountField
from .orders import SalesOrder
from .proposals import Proposal


class ContractType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContractStatus(models.Model):
    """A configurable status. `kind` tells the software what a status means: a new contract
    starts in the default draft status, signing moves it to the first active one, the daily
    check to the first expired one."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    color = models.CharField(max_length=7, default="#6c757d")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "contract statuses"

    def __str__(self):
        return self.name

    @classmethod
    def first_of(cls, kind):
        status = cls.objects.filter(kind=kind).order_by("order", "pk").first()
        if status is None:
            raise cls.DoesNotExist(f"No contract status of kind {kind}: add one in settings.")
        return status


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """'Own' scope: the contracts a user is the account manager of."""
        return scoped(self, user, owner_fields=["assigned_to"])

    def expiring_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(status__kind=ContractStatus.Kind.ACTIVE, end_date__gte=today,
                           end_date__lte=today + datetime.timedelta(days=days))


class Contract(CommercialDocument):
    """A written commitment with a client. Once signed its content is frozen (with the signed
    PDF); a change is an amendment or a new version, each a contract of its own pointing to the
    one it changes."""

    class Revision(models.TextChoices):
        ORIGINAL = "", "Original"
        AMENDMENT = "amendment", "Amendment"
        VERSION = "version", "New version"

    subject = models.CharField(max_length=200)
    contract_type = models.ForeignKey(ContractType, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      verbose_name="type")
    status = models.ForeignKey(ContractStatus, on_delete=models.PROTECT, related_name="+")
    value = AmountField(help_text="The contract's value (the lines' total when it has lines).")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Empty: open-ended.")
    renewal_terms = models.TextField(blank=True)
    content = models.TextField("contract text", blank=True)
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="contract")
    sales_order = models.ForeignKey(SalesOrder, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="contracts")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="revisions",
                                 help_text="The contract this one amends or replaces.")
    revision = models.CharField(max_length=10, choices=Revision.choices, blank=True)
    version = models.PositiveSmallIntegerField(default=1)

    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                  editable=False)
    sent_for_signature_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_manually = models.BooleanField(default=False)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_email = models.EmailField(blank=True)
    signature = models.TextField(blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    signed_pdf = models.FileField(upload_to="contracts/signed/%Y/", blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("view_all_contract", "Can view all contracts, not only own"),
            ("sign_contract", "Can send contracts for signature and record signatures"),
            ("export_contract", "Can export contracts"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="contract_status_idx"),
            models.Index(fields=["assigned_to", "-id"], name="contract_agent_idx"),
            models.Index(fields=["client", "-id"], name="contract_client_idx"),
            models.Index(fields=["end_date", "status"], name="contract_end_idx"),
        ]
        constraints = [
            *CommercialDocument.Meta.constraints,
            models.CheckConstraint(condition=Q(client__isnull=False), name="contract_has_client"),
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")),
                                   name="contract_ends_after_start",
                                   violation_error_message="The end date is before the start "
                                                           "date."),
            models.CheckConstraint(condition=Q(value__gte=0), name="contract_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("sales:contract_detail", args=[self.pk])

    @property
    def number(self):
        base = f"CTR-{self.pk:06d}" if self.pk else "CTR-new"
        return base if self.version == 1 else f"{base} v{self.version}"

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def days_left(self):
        return (self.end_date - timezone.localdate()).days if self.end_date else None


class ContractLine(DocumentLine):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass


class ContractReminder(models.Model):
    """A renewal step done for a contract. The unique constraint makes the daily check create
    each step once, however often it runs."""

    class Step(models.TextChoices):
        RENEWAL_60 = "renewal-60", "Renewal task, 60 days before the end"
        REMINDER_30 = "reminder-30", "Reminder, 30 days before the end"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=12, choices=Step.choices)
    task = models.ForeignKey("activity.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_by_job_at = models.DateTimeField(default=timezone.now)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "step"],
                                               name="contractreminder_once_per_step")]

    def __str__(self):
        return f"{self.contract.number}: {self.get_step_display()}"
