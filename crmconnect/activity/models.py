from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crmconnect.core.scope import scoped


class RecordLink(models.Model):
    """The record a row is about (any model), plus the client it belongs to so that a client's
    history is one indexed query whatever the kind of record."""

    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def record_url(self):
        """The record's own page when it has one, else its client's page."""
        record = self.record if self.object_id else None
        if record is not None and hasattr(record, "get_absolute_url"):
            return record.get_absolute_url()
        return self.client.get_absolute_url() if self.client_id else ""

    @property
    def record_label(self):
        if self.object_id:
            record = self.record
            if record is not None:
                return f"{self.content_type.name.capitalize()}: {record}"
            return f"{self.content_type.name.capitalize()} #{self.object_id} (deleted)"
        return str(self.client) if self.client_id else ""


class Activity(RecordLink):
    """One line of the activity log, written by the service that made the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activities",
    )
    event = models.CharField(max_length=64, db_index=True)
    description = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"],
                         name="activity_record_idx"),
            models.Index(fields=["client", "-created_at"], name="activity_client_idx"),
        ]

    def __str__(self):
        return self.description

    @property
    def actor_label(self):
        """Who acted: a staff member, the client through a portal link (no user, an address),
        or the system (a scheduled job)."""
        if self.actor_id:
            return str(self.actor)
        return "Client (online)" if self.ip_address else "System"

    @property
    def change_rows(self):
        """(field, old, new) for each change, as `services.diff` stores them."""
        for field, values in self.changes.items():
            if isinstance(values, list | tuple) and len(values) == 2:
                yield field, values[0], values[1]
            else:
                yield field, None, values


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.message

    @property
    def is_read(self):
        return self.read_at is not None


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, owner_fields=["assignee", "created_by"])

    def open(self):
        return self.filter(done_at__isnull=True)

    def due_today(self):
        return self.open().filter(due_date=timezone.localdate())

    def overdue(self):
        return self.open().filter(due_date__lt=timezone.localdate())


class Task(RecordLink):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    due_date = models.DateField()
    remind_at = models.DateTimeField(
        null=True, blank=True, help_text="When to notify the assignee."
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        permissions = [("view_all_task", "Can view all tasks, not only own")]
        indexes = [
            models.Index(fields=["assignee", "due_date"], name="task_assignee_due_idx"),
            models.Index(fields=["due_date", "id"], condition=Q(done_at__isnull=True),
                         name="task_open_due_idx"),
            models.Index(fields=["remind_at"],
                         condition=Q(reminded_at__isnull=True, done_at__isnull=True),
                         name="task_pending_reminder_idx"),
            models.Index(fields=["content_type", "object_id"], name="task_record_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activity:task_edit", args=[self.pk])

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()

    @property
    def is_due_today(self):
        return not self.is_done and self.due_date == timezone.localdate()


class Attachment(RecordLink):
    """A file attached to any record (a lead, an email logged on it, later a proposal or a
    contract). Size and type limits: settings.ATTACHMENT_MAX_BYTES / ATTACHMENT_EXTENSIONS."""

    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    mime_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="attachment_record_idx")]

    def __str__(self):
        return self.name
