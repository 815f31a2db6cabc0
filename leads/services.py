"""Every change to a lead or an opportunity: one transaction each, an activity-log row with
old and new values, events sent on commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from crmconnect.activity.attachments import attachments_delete_for
from crmconnect.activity.services import activity_record, apply_changes
from crmconnect.clients import services as client_services

from .events import (
    lead_converted_to_client,
    lead_converted_to_opportunity,
    lead_created,
    lead_lost,
    lead_status_changed,
)
from .models import CustomField, Lead

LEAD_FIELDS = [
    "name", "company", "position", "email", "phone", "website", "industry", "city",
    "company_size", "value", "currency", "description", "pipeline", "status", "source",
    "assigned_to",
]
OPPORTUNITY_FIELDS = ["opportunity_status", "probability", "close_date"]
CONTACT_FIELDS = ["name", "company", "position", "email", "phone", "website", "industry",
                  "city", "company_size", "currency", "description", "pipeline", "status",
                  "source", "assigned_to"]


def lead_for_change(actor, lead):
    """The lead, locked, if the actor may change it: it must be within their scope."""
    if not actor.has_perm("leads.change_lead"):
        raise PermissionDenied
    locked = Lead.objects.visible_to(actor).select_for_update().filter(pk=lead.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def _log(actor, lead, event, description, changes=None):
    activity_record(actor=actor, event=event, record=lead, client=lead.client,
                    description=f"{_noun(lead)} {lead}: {description}", changes=changes)


def _noun(lead):
    return "Opportunity" if lead.is_opportunity else "Lead"


def _clean_custom_values(values):
    """Keep only the keys of active custom fields, JSON-friendly (dates as ISO strings)."""
    fields = {field.key: field for field in CustomField.objects.filter(active=True)}
    cleaned = {}
    for key, value in (values or {}).items():
        if key in fields and value not in (None, ""):
            cleaned[key] = value.isoformat() if hasattr(value, "isoformat") else (
                str(value) if not isinstance(value, (str, int, float)) else value)
    return cleaned


@transaction.atomic
def lead_create(*, actor, tags=(), custom_values=None, **values):
    """A new lead. Without an agent chosen, a user who sees only their own leads gets it."""
    lead = Lead(created_by=actor)
    apply_changes(lead, values, [*LEAD_FIELDS, *OPPORTUNITY_FIELDS])
    if lead.assigned_to is None and not actor.has_perm("leads.view_all_lead"):
        lead.assigned_to = actor
    lead.custom_values = _clean_custom_values(custom_values)
    lead.full_clean()
    lead.save()
    lead.tags.set(tags)
    _log(actor, lead, "lead.created", "created")
    transaction.on_commit(lambda: lead_created.send(sender=Lead, lead=lead, actor=actor))
    return lead


@transaction.atomic
def lead_update(*, actor, lead, tags=None, custom_values=None, **values):
    """Edit a lead's fields; a new status goes through the same path as a Kanban move."""
    lead = lead_for_change(actor, lead)
    new_status = values.pop("status", lead.status)
    old_status = lead.status
    changes = apply_changes(lead, values, [*LEAD_FIELDS, *OPPORTUNITY_FIELDS])
    if custom_values is not None:
        cleaned = _clean_custom_values(custom_values)
        if cleaned != lead.custom_values:
            changes["custom_values"] = [lead.custom_values, cleaned]
            lead.custom_values = cleaned
    if new_status != old_status:
        _set_status(lead, new_status)
        changes["status"] = [str(old_status), str(new_status)]
    lead.full_clean()
    lead.save()
    if tags is not None:
        before = sorted(tag.name for tag in lead.tags.all())
        lead.tags.set(tags)
        after = sorted(tag.name for tag in tags)
        if before != after:
            changes["tags"] = [before, after]
    if changes:
        _log(actor, lead, "lead.updated", "updated", changes)
    if new_status != old_status:
        _send_status_changed(lead, actor, old_status, new_status)
    return lead


def _set_status(lead, status):
    if status.pipeline_id != lead.pipeline_id:
        raise ValidationError({"status": f"“{status}” is a status of another pipeline "
                                         f"({status.pipeline}), not of {lead.pipeline}."})
    lead.status = status
    lead.status_changed_at = timezone.now()


def _send_status_changed(lead, actor, old_status, new_status):
    transaction.on_commit(lambda: lead_status_changed.send(
        sender=Lead, lead=lead, actor=actor, old_status=old_status, new_status=new_status))


@transaction.atomic
def lead_change_status(*, actor, lead, status):
    """Move a lead to another stage of its pipeline (a Kanban drop or the record's status)."""
    lead = lead_for_change(actor, lead)
    if not lead.is_active:
        raise ValidationError("A lost or junk lead is out of the pipeline: restore it first.")
    old_status = lead.status
    if status == old_status:
        return lead
    _set_status(lead, status)
    lead.save(update_fields=["status", "status_changed_at", "updated_at"])
    _log(actor, lead, "lead.status_changed", f"moved from {old_status} to {status}",
         {"status": [str(old_status), str(status)]})
    _send_status_changed(lead, actor, old_status, status)
    return lead


@transaction.atomic
def lead_assign(*, actor, lead, assignee):
    lead = lead_for_change(actor, lead)
    if lead.assigned_to == assignee:
        return lead
    changes = apply_changes(lead, {"assigned_to": assignee}, ["assigned_to"])
    lead.save(update_fields=["assigned_to", "updated_at"])
    _log(actor, lead, "lead.assigned", f"assigned to {assignee or 'nobody'}", changes)
    return lead


@transaction.atomic
def lead_mark_lost(*, actor, lead, reason, note=""):
    if reason is None:
        raise ValidationError({"reason": "Choose why the lead was lost."})
    lead = lead_for_change(actor, lead)
    if lead.is_lost:
        return lead
    lead.lost_at, lead.lost_reason, lead.lost_note = timezone.now(), reason, note
    lead.save(update_fields=["lost_at", "lost_reason", "lost_note", "updated_at"])
    _log(actor, lead, "lead.lost", f"marked lost ({reason})",
         {"lost_reason": [None, str(reason)], "lost_note": [None, note or None]})
    transaction.on_commit(lambda: lead_lost.send(sender=Lead, lead=lead, actor=actor,
                                                 reason=reason))
    return lead


@transaction.atomic
def lead_mark_junk(*, actor, lead):
    lead = lead_for_change(actor, lead)
    if lead.is_junk:
        return lead
    lead.is_junk = True
    lead.save(update_fields=["is_junk", "updated_at"])
    _log(actor, lead, "lead.junk", "marked junk", {"is_junk": [False, True]})
    return lead


@transaction.atomic
def lead_restore(*, actor, lead):
    """Back into the pipeline, in the stage it had; the lost reason is kept in the log."""
    lead = lead_for_change(actor, lead)
    if lead.is_active:
        return lead
    changes = {}
    if lead.is_lost:
        changes["lost_reason"] = [str(lead.lost_reason), None]
    if lead.is_junk:
        changes["is_junk"] = [True, False]
    lead.lost_at, lead.lost_reason, lead.lost_note, lead.is_junk = None, None, "", False
    lead.status_changed_at = timezone.now()
    lead.save(update_fields=["lost_at", "lost_reason", "lost_note", "is_junk",
                             "status_changed_at", "updated_at"])
    _log(actor, lead, "lead.restored", "restored to the pipeline", changes)
    return lead


@transaction.atomic
def lead_delete(*, actor, lead):
    if not actor.has_perm("leads.delete_lead"):
        raise PermissionDenied
    lead = lead_for_change(actor, lead)
    attachments_delete_for([lead])
    attachments_delete_for(lead.interactions.all())
    description = f"{_noun(lead)} {lead} (#{lead.pk}) deleted"
    summary = {"name": [lead.name, None], "email": [lead.email or None, None]}
    lead.delete()
    activity_record(actor=actor, event="lead.deleted", description=description,
                    changes=summary)


@transaction.atomic
def lead_convert_to_opportunity(*, actor, lead, opportunity_status, value=None,
                                probability=None, close_date=None, assigned_to=None):
    """A new opportunity with the lead's contact data; the lead stays active and separate."""
    lead = lead_for_change(actor, lead)
    if lead.is_opportunity:
        raise ValidationError("This is already an opportunity.")
    opportunity = Lead(is_opportunity=True, converted_from=lead, created_by=actor,
                       client=lead.client, custom_values=dict(lead.custom_values))
    for field in CONTACT_FIELDS:
        setattr(opportunity, field, getattr(lead, field))
    opportunity.value = value if value is not None else lead.value
    opportunity.opportunity_status = opportunity_status
    opportunity.probability, opportunity.close_date = probability, close_date
    if assigned_to is not None:
        opportunity.assigned_to = assigned_to
    opportunity.full_clean()
    opportunity.save()
    opportunity.tags.set(lead.tags.all())
    _log(actor, lead, "lead.converted_to_opportunity",
         f"converted to opportunity #{opportunity.pk}", {"opportunity": [None, opportunity.pk]})
    _log(actor, opportunity, "opportunity.created", f"created from lead #{lead.pk}")
    transaction.on_commit(lambda: lead_converted_to_opportunity.send(
        sender=Lead, lead=lead, opportunity=opportunity, actor=actor))
    return opportunity


@transaction.atomic
def lead_convert_to_client(*, actor, lead):
    """A client (a company when the lead names one, else a person) with the lead's contact as
    its primary contact. The lead keeps the link and counts as converted."""
    if not actor.has_perm("clients.add_client"):
        raise PermissionDenied
    lead = lead_for_change(actor, lead)
    if lead.client_id:
        raise ValidationError(f"Already converted: the client is {lead.client}.")
    client = client_services.client_create(
        actor=actor, kind="company" if lead.company else "person",
        name=lead.company or lead.name, email=lead.email, phone=lead.phone,
        website=lead.website, city=lead.city, currency=lead.currency,
        owner=lead.assigned_to or actor,
        notes=f"Converted from {_noun(lead).lower()} #{lead.pk}.")
    first, _, last = lead.name.partition(" ")
    client_services.contact_add(actor=actor, client=client, first_name=first, last_name=last,
                                position=lead.position, email=lead.email, phone=lead.phone)
    lead.client, lead.converted_at = client, timezone.now()
    lead.save(update_fields=["client", "converted_at", "updated_at"])
    _log(actor, lead, "lead.converted_to_client", f"converted to client {client}",
         {"client": [None, client.pk]})
    transaction.on_commit(lambda: lead_converted_to_client.send(
        sender=Lead, lead=lead, client=client, actor=actor))
    return client
