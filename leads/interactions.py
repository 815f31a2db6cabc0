"""A lead's activity tab: calls, emails, SMS, meetings and notes logged on it, the files
attached to it, and its follow-up reminders (tasks linked to the lead)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from crmconnect.activity import attachments
from crmconnect.activity.models import Task
from crmconnect.activity.services import activity_record, task_create

from .models import Interaction, Lead
from .services import lead_for_change

Kind = Interaction.Kind
# A logged interaction may be dated up to this long after "now" (clocks differ a little).
CLOCK_SKEW = timezone.timedelta(minutes=5)


def _log(actor, lead, event, description, changes=None):
    activity_record(actor=actor, event=event, record=lead, client=lead.client,
                    description=f"{lead}: {description}", changes=changes)


# --- interactions --------------------------------------------------------------------------

def _clean_interaction(kind, summary, duration_minutes, occurred_at, meeting_at, email_copy):
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose call, email, SMS, meeting or note."
    if kind == Kind.MEETING:
        if meeting_at is None:
            errors["meeting_at"] = "Enter the date and time of the meeting."
    elif not summary:
        errors["summary"] = "Write what was said or done."
    if duration_minutes is not None and duration_minutes < 0:
        errors["duration_minutes"] = "The duration cannot be negative."
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = ("This is in the future: log it once it has happened "
                                 "(set a follow-up or a meeting for what is planned).")
    if email_copy is not None:
        if kind != Kind.EMAIL:
            errors["email_copy"] = "Only an email has a copy attached."
        else:
            try:
                attachments.attachment_validate(email_copy)
            except ValidationError as exc:
                errors["email_copy"] = exc.messages
    if errors:
        raise ValidationError(errors)


def _describe(interaction):
    parts = [f"{interaction.get_kind_display().lower()} logged"]
    if interaction.duration_minutes is not None:
        parts.append(f"({interaction.duration_minutes} min)")
    if interaction.meeting_at is not None:
        when = timezone.localtime(interaction.meeting_at)
        parts.append(f"for {when:%d.%m.%Y %H:%M}")
    if interaction.place:
        parts.append(f"at {interaction.place}")
    return " ".join(parts)


@transaction.atomic
def interaction_log(*, actor, lead, kind, summary="", duration_minutes=None, occurred_at=None,
                    meeting_at=None, place="", email_copy=None):
    """Log a call, email, SMS, meeting or note on a lead. A contact (all but a note) sets the
    lead's last contact time; an email's copy becomes an attachment of the interaction; a
    meeting is an appointment: a task for the lead's agent on its day."""
    lead = lead_for_change(actor, lead)
    summary = (summary or "").strip()
    occurred_at = occurred_at or timezone.now()
    _clean_interaction(kind, summary, duration_minutes, occurred_at, meeting_at, email_copy)
    is_call, is_meeting = kind == Kind.CALL, kind == Kind.MEETING
    interaction = Interaction.objects.create(
        lead=lead, kind=kind, created_by=actor, occurred_at=occurred_at,
        summary=summary or f"Meeting with {lead}",
        duration_minutes=duration_minutes if is_call else None,
        meeting_at=meeting_at if is_meeting else None,
        place=place.strip() if is_meeting else "",
    )
    changes = {"kind": [None, kind]}
    if kind in Interaction.CONTACT_KINDS and (
            lead.last_contacted_at is None or lead.last_contacted_at < occurred_at):
        changes["last_contacted_at"] = [
            lead.last_contacted_at.isoformat() if lead.last_contacted_at else None,
            occurred_at.isoformat()]
        lead.last_contacted_at = occurred_at
        lead.save(update_fields=["last_contacted_at", "updated_at"])
    if email_copy is not None:
        attachments.attachment_add(actor=actor, record=interaction, upload=email_copy,
                                   client=lead.client)
    if is_meeting:
        title = f"Meeting: {lead} — {interaction.place}" if interaction.place else (
            f"Meeting: {lead}")
        task_create(actor=actor, title=title[:200], assignee=lead.assigned_to or actor,
                    due_date=timezone.localdate(meeting_at), record=lead,
                    description=interaction.summary)
    _log(actor, lead, "lead.interaction_logged", _describe(interaction), changes)
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction):
    """Remove a logged interaction (and its files): its author or whoever may delete leads."""
    lead = lead_for_change(actor, interaction.lead)
    if interaction.created_by_id != actor.pk and not actor.has_perm("leads.delete_lead"):
        raise PermissionDenied
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    attachments.attachments_delete_for([interaction])
    _log(actor, lead, "lead.interaction_deleted",
         f"{interaction.get_kind_display().lower()} removed",
         {"summary": [interaction.summary[:200], None]})
    interaction.delete()


# --- attachments of a lead -----------------------------------------------------------------

@transaction.atomic
def lead_attachment_add(*, actor, lead, upload):
    lead = lead_for_change(actor, lead)
    return attachments.attachment_add(actor=actor, record=lead, upload=upload,
                                      client=lead.client)


def attachment_lead(attachment):
    """The lead a file belongs to: attached to the lead itself or to one of its
    interactions (an email's copy); None for a file of anything else."""
    model = attachment.content_type.model_class() if attachment.content_type_id else None
    if model is Lead:
        return Lead.objects.filter(pk=attachment.object_id).first()
    if model is Interaction:
        return Lead.objects.filter(interactions__pk=attachment.object_id).first()
    return None


@transaction.atomic
def lead_attachment_delete(*, actor, attachment):
    """Remove a file of a lead: its uploader or whoever may delete leads."""
    lead = attachment_lead(attachment)
    if lead is None:
        raise PermissionDenied
    lead_for_change(actor, lead)
    if attachment.uploaded_by_id != actor.pk and not actor.has_perm("leads.delete_lead"):
        raise PermissionDenied
    attachments.attachment_delete(actor=actor, attachment=attachment)
    return lead


# --- follow-ups ----------------------------------------------------------------------------

def _open_follow_ups(today=None):
    """Open tasks due today or later, linked to a lead."""
    return Task.objects.open().filter(content_type=ContentType.objects.get_for_model(Lead),
                                      due_date__gte=today or timezone.localdate())


def leads_without_follow_up(queryset):
    """The active leads of `queryset` with no open task linked to them due today or later
    (flagged "No follow-up date")."""
    planned = _open_follow_ups().filter(object_id=OuterRef("pk"))
    return queryset.active().filter(~Exists(planned))


def next_follow_up(lead):
    """The lead's next open follow-up task (due today or later), or None."""
    return (_open_follow_ups().filter(object_id=lead.pk).select_related("assignee")
            .order_by("due_date", "id").first())


def follow_up_state(lead):
    """(next follow-up task or None, whether the lead is flagged "No follow-up date")."""
    upcoming = next_follow_up(lead)
    return upcoming, lead.is_active and upcoming is None


@transaction.atomic
def lead_follow_up(*, actor, lead, due_date, title="Follow up", remind_at=None, assignee=None):
    """A follow-up reminder: a task linked to the lead, for its agent unless told otherwise."""
    lead = lead_for_change(actor, lead)
    errors = {}
    if due_date < timezone.localdate():
        errors["due_date"] = "The follow-up date is in the past: choose today or later."
    if remind_at is not None and remind_at < timezone.now():
        errors["remind_at"] = "The reminder time has already passed."
    if assignee is not None and not Lead.objects.visible_to(assignee).filter(
            pk=lead.pk).exists():
        errors["assignee"] = f"{assignee} cannot see this lead: assign it to them first."
    if errors:
        raise ValidationError(errors)
    assignee = assignee or lead.assigned_to or actor
    task = task_create(actor=actor, title=(title or "Follow up").strip()[:200],
                       assignee=assignee, due_date=due_date, remind_at=remind_at, record=lead,
                       client=lead.client)
    _log(actor, lead, "lead.follow_up_set", f"follow-up “{task.title}” on {due_date:%d.%m.%Y} "
                                            f"for {assignee}",
         {"follow_up": [None, due_date.isoformat()]})
    return task


def lead_activity(lead, limit):
    """The lead's latest `limit` interactions, each with `.files` (its attachments, e.g. an
    email's copy), and the lead's own files: two queries whatever their numbers."""
    rows = list(lead.interactions.select_related("created_by")[:limit])
    files = attachments.attachments_for([lead, *rows])
    for row in rows:
        row.files = files[row]
    return rows, files[lead]
