"""Leads and opportunities (one table, `is_opportunity`, as the documentation describes),
their pipelines and configurable statuses, sources, lost reasons, tags and custom fields."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crmconnect.company.models import CURRENCY_CHOICES
from crmconnect.core.scope import scoped

STAGNANT_AFTER = timedelta(days=14)
COLOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


class Pipeline(models.Model):
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                    name="pipeline_one_default"),
        ]

    def __str__(self):
        return self.name


class LeadStatus(models.Model):
    """A stage of a pipeline: the Kanban shows one column per status, in `order`."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="statuses")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    color = models.CharField(max_length=7, default="#6c757d", validators=[COLOR])

    class Meta:
        ordering = ["pipeline", "order", "id"]
        verbose_name_plural = "lead statuses"
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="leadstatus_unique_name"),
        ]

    def __str__(self):
        return self.name


class Option(models.Model):
    """A named choice an administrator keeps in the settings; inactive ones stay on old
    records but are no longer offered."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class LeadSource(Option):
    pass


class LostReason(Option):
    pass


class OpportunityStatus(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    color = models.CharField(max_length=7, default="#0d6efd", validators=[COLOR])
    outcome = models.CharField(max_length=4, choices=Outcome.choices, default=Outcome.OPEN)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "opportunity statuses"

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CustomField(models.Model):
    """A field an administrator adds to every lead and opportunity; values live in
    `Lead.custom_values` under `key`."""

    class Type(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        CHOICE = "choice", "Choice"

    label = models.CharField(max_length=100)
    key = models.SlugField(max_length=50, unique=True,
                           help_text="Internal name; letters, digits, - and _.")
    field_type = models.CharField(max_length=6, choices=Type.choices, default=Type.TEXT)
    choices = models.TextField(blank=True, help_text="For a choice field: one option per line.")
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.field_type == self.Type.CHOICE and not self.choice_list:
            raise ValidationError({"choices": "A choice field needs at least one option."})


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """'Own' scope: the leads assigned to the user; 'all' scope: every lead."""
        return scoped(self, user, owner_fields=["assigned_to"])

    def leads(self):
        return self.filter(is_opportunity=False)

    def opportunities(self):
        return self.filter(is_opportunity=True)

    def active(self):
        """In the pipeline and in reports: neither lost nor junk."""
        return self.filter(lost_at__isnull=True, is_junk=False)

    def lost(self):
        return self.filter(lost_at__isnull=False)

    def junk(self):
        return self.filter(is_junk=True)

    def stagnant(self):
        return self.active().filter(status_changed_at__lt=timezone.now() - STAGNANT_AFTER)

    def converted(self):
        return self.filter(client__isnull=False)


ACTIVE = Q(lost_at__isnull=True, is_junk=False)


class Lead(models.Model):
    class CompanySize(models.TextChoices):
        MICRO = "1-9", "1–9 employees"
        SMALL = "10-49", "10–49 employees"
        MEDIUM = "50-249", "50–249 employees"
        LARGE = "250+", "250+ employees"

    is_opportunity = models.BooleanField(default=False)
    converted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities",
        help_text="For an opportunity: the lead it was converted from.")

    name = models.CharField(max_length=200, help_text="The contact person.")
    company = models.CharField(max_length=200, blank=True)
    position = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    industry = models.CharField(max_length=100, blank=True)
    city = models.CharField("area / city", max_length=100, blank=True)
    company_size = models.CharField(max_length=6, choices=CompanySize.choices, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")
    description = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="leads")
    custom_values = models.JSONField(default=dict, blank=True)
    # Follow-ups and meetings linked to the lead; deleted with it.
    tasks = GenericRelation("activity.Task")

    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="leads")
    status = models.ForeignKey(LeadStatus, on_delete=models.PROTECT, related_name="leads")
    status_changed_at = models.DateTimeField(default=timezone.now)
    source = models.ForeignKey(LeadSource, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="leads")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_leads", verbose_name="assigned agent")
    last_contacted_at = models.DateTimeField(null=True, blank=True)

    lost_at = models.DateTimeField(null=True, blank=True)
    lost_reason = models.ForeignKey(LostReason, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="leads")
    lost_note = models.CharField(max_length=255, blank=True)
    is_junk = models.BooleanField(default=False)

    client = models.ForeignKey("clients.Client", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="leads")
    converted_at = models.DateTimeField(null=True, blank=True)

    # Opportunity fields
    opportunity_status = models.ForeignKey(
        OpportunityStatus, null=True, blank=True, on_delete=models.PROTECT,
        related_name="opportunities")
    probability = models.PositiveSmallIntegerField(
        "probability %", null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    close_date = models.DateField("estimated close date", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_lead", "Can view all leads and opportunities, not only own"),
            ("export_lead", "Can export leads and opportunities"),
        ]
        indexes = [
            # Kanban columns: the active leads of a status, most recently moved first.
            models.Index(fields=["status", "-status_changed_at", "-id"],
                         condition=ACTIVE & Q(is_opportunity=False), name="lead_board_idx"),
            models.Index(fields=["assigned_to", "status", "-status_changed_at", "-id"],
                         condition=ACTIVE & Q(is_opportunity=False),
                         name="lead_board_own_idx"),
            # Lists: newest first, overall and per agent.
            models.Index(fields=["is_opportunity", "-created_at", "-id"],
                         name="lead_created_idx"),
            models.Index(fields=["assigned_to", "is_opportunity", "-created_at", "-id"],
                         name="lead_own_created_idx"),
            models.Index(fields=["status_changed_at"], condition=ACTIVE,
                         name="lead_stage_age_idx"),
            models.Index(fields=["close_date", "id"], condition=Q(is_opportunity=True),
                         name="opportunity_close_idx"),
            # Opportunity totals (sum of value and weighted value) read from the index alone.
            models.Index(fields=["currency", "value", "probability", "assigned_to",
                                 "opportunity_status", "close_date"],
                         condition=Q(is_opportunity=True), name="opportunity_totals_idx"),
            models.Index(fields=["is_opportunity", "value", "id"], name="lead_value_idx"),
            models.Index(fields=["assigned_to", "is_opportunity", "value", "id"],
                         name="lead_own_value_idx"),
            models.Index(fields=["name", "id"], name="lead_name_idx"),
            models.Index(fields=["email"], name="lead_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""),
                                   name="lead_email_or_phone",
                                   violation_error_message="Enter an email or a phone number."),
            models.CheckConstraint(
                condition=Q(lost_at__isnull=True) | Q(lost_reason__isnull=False),
                name="lead_lost_has_reason"),
            models.CheckConstraint(
                condition=Q(is_opportunity=False) | Q(opportunity_status__isnull=False),
                name="opportunity_has_status"),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__lte=100),
                name="lead_probability_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})" if self.company else self.name

    def get_absolute_url(self):
        name = "leads:opportunity_detail" if self.is_opportunity else "leads:detail"
        return reverse(name, args=[self.pk])

    def clean(self):
        super().clean()
        if self.status_id and self.pipeline_id and self.status.pipeline_id != self.pipeline_id:
            raise ValidationError({"status": "This status belongs to another pipeline: choose "
                                             f"a status of {self.pipeline}."})
        if not self.email and not self.phone:
            raise ValidationError({"email": "Enter an email or a phone number.",
                                   "phone": "Enter an email or a phone number."})

    @property
    def is_lost(self):
        return self.lost_at is not None

    @property
    def is_active(self):
        return not self.is_lost and not self.is_junk

    @property
    def days_in_stage(self):
        return (timezone.now() - self.status_changed_at).days

    @property
    def is_stagnant(self):
        return self.is_active and timezone.now() - self.status_changed_at > STAGNANT_AFTER

    @property
    def weighted_value(self):
        if self.value is None or self.probability is None:
            return None
        return (self.value * self.probability / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Interaction(models.Model):
    """A call, email, SMS, meeting or note logged on a lead or an opportunity (its activity
    tab). An email's copy is an Attachment of the interaction."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"

    CONTACT_KINDS = (Kind.CALL, Kind.EMAIL, Kind.SMS, Kind.MEETING)

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    summary = models.TextField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    meeting_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-occurred_at", "-id"], name="interaction_lead_idx"),
            models.Index(fields=["created_by", "meeting_at"], condition=Q(kind="meeting"),
                         name="interaction_meeting_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="meeting") | Q(meeting_at__isnull=False),
                                   name="interaction_meeting_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"

    def get_absolute_url(self):
        return f"{self.lead.get_absolute_url()}#activity"
