import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMIntegerField, FSMModelMixin, transition

from crmconnect.core.scope import scoped
from crmconnect.core.singleton import Singleton
from leads.models import Lead

from .documents import CommercialDocument, DocumentLine


class ProposalSettings(Singleton, models.Model):
    """The one row (pk=1) of proposal settings."""

    default_open_days = models.PositiveSmallIntegerField(
        "days a proposal stays open", default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="New proposals get open till today plus this many days (14–30 recommended).")
    follow_up_after_days = models.PositiveSmallIntegerField(
        "follow up when not viewed after (days)", default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    estimate_auto_convert_to_invoice_on_client_accept = models.BooleanField(
        "create the invoice when the client accepts in the portal", default=False,
        help_text="estimate_auto_convert_to_invoice_on_client_accept: a draft invoice is made "
                  "from the proposal as soon as the client accepts it online.")

    class Meta:
        verbose_name = verbose_name_plural = "proposal settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="proposalsettings_singleton")]

    def __str__(self):
        return "Proposal settings"


class ProposalTemplate(models.Model):
    """Ready content and lines for a kind of quote ("Monthly Services", "One-time Project")."""

    name = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=200, blank=True)
    content = models.TextField("cover letter", blank=True)
    terms = models.TextField("terms and conditions", blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProposalTemplateLine(DocumentLine):
    template = models.ForeignKey(ProposalTemplate, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """'Own' scope: the proposals a user is the agent of."""
        return scoped(self, user, owner_fields=["assigned_to"])

    def expired(self, today=None):
        return self.filter(open_till__lt=today or timezone.localdate()).exclude(
            status__in=Proposal.CLOSED)

    def not_viewed(self, days, now=None):
        """Sent (by email) more than `days` ago and not opened by the client since."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
        return self.filter(status=Proposal.Status.SENT, sent_at__lte=cutoff)


class Proposal(FSMModelMixin, CommercialDocument):
    class Status(models.IntegerChoices):
        REVIEWED = 1, "Reviewed"
        DECLINED = 2, "Declined"
        ACCEPTED = 3, "Accepted"
        SENT = 4, "Sent"
        REVISED = 5, "Revised"
        DRAFT = 6, "Draft"
        SENT_MANUALLY = 7, "Sent manually"

    OUT_WITH_CLIENT = [Status.SENT, Status.SENT_MANUALLY, Status.REVIEWED]
    EDITABLE = [Status.DRAFT, Status.REVISED, *OUT_WITH_CLIENT]
    CLOSED = [Status.ACCEPTED, Status.DECLINED]

    subject = models.CharField(max_length=200)
    status = FSMIntegerField(choices=Status.choices, default=Status.DRAFT, protected=True)
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="proposals", verbose_name="lead or opportunity")
    template = models.ForeignKey(ProposalTemplate, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    recipient_name = models.CharField("to", max_length=200, blank=True)
    recipient_email = models.EmailField("email", blank=True)
    content = models.TextField("cover letter", blank=True)
    open_till = models.DateField()
    allow_comments = models.BooleanField(default=True)

    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                  editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_email = models.EmailField(blank=True)
    signature = models.TextField(blank=True, help_text="A drawn signature (PNG data URL) or "
                                                       "the typed name.")
    signed_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("view_all_proposal", "Can view all proposals, not only own"),
            ("send_proposal", "Can send proposals and change their status"),
            ("export_proposal", "Can export proposals"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="proposal_status_idx"),
            models.Index(fields=["assigned_to", "-id"], name="proposal_agent_idx"),
            models.Index(fields=["assigned_to", "status", "-id"], name="proposal_agent_status_idx"),
            models.Index(fields=["client", "-id"], name="proposal_client_idx"),
            models.Index(fields=["open_till", "status"], name="proposal_open_till_idx"),
            models.Index(fields=["-date", "-id"], name="proposal_date_idx"),
            models.Index(fields=["-total", "-id"], name="proposal_total_idx"),
            models.Index(fields=["assigned_to", "-total", "-id"], name="proposal_agent_total_idx"),
            models.Index(fields=["status", "sent_at"], name="proposal_sent_idx"),
        ]
        constraints = [
            *CommercialDocument.Meta.constraints,
            models.CheckConstraint(condition=Q(client__isnull=False) | Q(lead__isnull=False),
                                   name="proposal_has_recipient",
                                   violation_error_message="A proposal is for a client or a "
                                                           "lead."),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("sales:proposal_detail", args=[self.pk])

    @property
    def number(self):
        return f"PRO-{self.pk:06d}" if self.pk else "PRO-new"

    @property
    def recipient(self):
        return self.client.name if self.client_id else (self.recipient_name or str(self.lead))

    @property
    def search_hint(self):
        return f"{self.recipient} · {self.get_status_display()}"

    @property
    def is_expired(self):
        return self.status not in self.CLOSED and self.open_till < timezone.localdate()

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def has_link(self):
        return bool(self.token_hash)

    # --- status machine: a service calls these inside its transaction, then saves ----------

    @transition(field=status, source=[Status.DRAFT, Status.REVISED, *OUT_WITH_CLIENT],
                target=Status.SENT, permission="sales.send_proposal")
    def send(self):
        self.sent_at = timezone.now()

    @transition(field=status, source=[Status.DRAFT, Status.REVISED], target=Status.SENT_MANUALLY,
                permission="sales.send_proposal")
    def mark_sent_manually(self):
        self.sent_at = timezone.now()

    @transition(field=status, source=[Status.SENT, Status.SENT_MANUALLY], target=Status.REVIEWED)
    def mark_viewed(self):
        self.viewed_at = timezone.now()

    @transition(field=status, source=OUT_WITH_CLIENT, target=Status.REVISED,
                permission="sales.change_proposal")
    def revise(self):
        pass

    @transition(field=status, source=[*OUT_WITH_CLIENT, Status.REVISED, Status.DECLINED],
                target=Status.ACCEPTED, permission="sales.send_proposal")
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(field=status, source=[Status.DRAFT, *OUT_WITH_CLIENT, Status.REVISED,
                                      Status.ACCEPTED],
                target=Status.DECLINED, permission="sales.send_proposal")
    def decline(self):
        self.declined_at = timezone.now()

    @transition(field=status, source=[Status.REVISED, *OUT_WITH_CLIENT, Status.DECLINED],
                target=Status.DRAFT, permission="sales.send_proposal")
    def back_to_draft(self):
        pass

    accept.alters_data = decline.alters_data = send.alters_data = True
    mark_sent_manually.alters_data = mark_viewed.alters_data = revise.alters_data = True
    back_to_draft.alters_data = True


class ProposalLine(DocumentLine):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        pass


class ProposalComment(models.Model):
    """The thread under a proposal: the client's comments (no author) and staff replies."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=200)
    body = models.TextField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposalcomment_idx")]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    @property
    def from_client(self):
        return self.author_id is None
