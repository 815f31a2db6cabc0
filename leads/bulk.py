"""Bulk actions of the leads list. Each selected lead goes through the same service as a
single change (its own transaction, log row and events); a lead the service refuses is
reported with the reason and the others are still done."""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from crmconnect.core.forms import StyledForm

from . import services
from .models import Lead, LeadStatus, LostReason

MAX_SELECTED = 500


class BulkActionForm(StyledForm):
    ASSIGN, STATUS, LOST, JUNK, DELETE = "assign", "status", "lost", "junk", "delete"
    ACTIONS = [(ASSIGN, "Assign to…"), (STATUS, "Change status to…"),
               (LOST, "Mark lost (reason)…"), (JUNK, "Mark junk"), (DELETE, "Delete")]
    NEEDS = {ASSIGN: ("assignee", "Choose the agent to assign the leads to."),
             STATUS: ("status", "Choose the new status."),
             LOST: ("reason", "Choose why the leads were lost.")}

    ids = forms.Field(widget=forms.MultipleHiddenInput,
                      error_messages={"required": "Select at least one lead."})
    action = forms.ChoiceField(choices=[("", "Action…"), *ACTIONS])
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True),
                                      required=False, empty_label="Agent…")
    status = forms.ModelChoiceField(
        queryset=LeadStatus.objects.filter(pipeline__active=True).select_related("pipeline")
        .order_by("pipeline__order", "pipeline__name", "order", "id"),
        required=False, empty_label="Status…")
    reason = forms.ModelChoiceField(queryset=LostReason.objects.filter(active=True),
                                    required=False, empty_label="Lost reason…")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].label_from_instance = lambda status: (
            f"{status.pipeline} › {status}")
        if not user.has_perm("leads.delete_lead"):
            # Not offered; posted anyway, the service refuses it (403).
            self.fields["action"].widget.choices = [
                choice for choice in self.fields["action"].choices if choice[0] != self.DELETE]

    def clean_ids(self):
        try:
            ids = {int(value) for value in self.cleaned_data["ids"]}
        except (TypeError, ValueError):
            raise ValidationError("The selection is not a list of leads.") from None
        if len(ids) > MAX_SELECTED:
            raise ValidationError(f"Select at most {MAX_SELECTED} leads at a time.")
        return ids

    def clean(self):
        data = super().clean()
        needed, message = self.NEEDS.get(data.get("action"), (None, ""))
        if needed and not data.get(needed):
            self.add_error(needed, message)
        return data


@dataclass
class BulkResult:
    done: int = 0
    refused: list = field(default_factory=list)  # (lead or None, reason)

    def summary(self):
        text = f"{self.done} updated, {len(self.refused)} refused"
        if self.refused:
            reasons = "; ".join(f"{lead}: {reason}" if lead else reason
                                for lead, reason in self.refused)
            text += f": {reasons}"
        return f"{text}."


def _action(data):
    """The single-lead service call for the chosen action."""
    return {
        BulkActionForm.ASSIGN: lambda actor, lead: services.lead_assign(
            actor=actor, lead=lead, assignee=data["assignee"]),
        BulkActionForm.STATUS: lambda actor, lead: services.lead_change_status(
            actor=actor, lead=lead, status=data["status"]),
        BulkActionForm.LOST: lambda actor, lead: services.lead_mark_lost(
            actor=actor, lead=lead, reason=data["reason"]),
        BulkActionForm.JUNK: lambda actor, lead: services.lead_mark_junk(actor=actor, lead=lead),
        BulkActionForm.DELETE: lambda actor, lead: services.lead_delete(actor=actor, lead=lead),
    }[data["action"]]


def leads_bulk_apply(*, actor, data):
    """Apply the validated BulkActionForm `data` to each selected lead the actor can see."""
    if data["action"] == BulkActionForm.DELETE and not actor.has_perm("leads.delete_lead"):
        raise PermissionDenied
    apply = _action(data)
    selected = list(Lead.objects.visible_to(actor).leads().filter(pk__in=data["ids"])
                    .select_related("status", "pipeline").order_by("pk"))
    result = BulkResult()
    missing = len(data["ids"]) - len(selected)
    if missing:
        result.refused.append((None, f"{missing} not found or outside your leads"))
    for lead in selected:
        try:
            apply(actor, lead)
        except ValidationError as exc:
            result.refused.append((lead, " ".join(exc.messages)))
        except PermissionDenied:
            result.refused.append((lead, "you may not change this lead"))
        else:
            result.done += 1
    return result
