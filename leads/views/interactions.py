"""The lead record's Activity tab (log an interaction, follow-up reminder, files) and the
dashboard's "Upcoming appointments" widget.

Every form of the tab posts here; with htmx the answer is the refreshed tab (with the errors
and the user's input when something is wrong), without it a redirect to the lead's page with a
message."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crmconnect.activity.models import Attachment
from leads import interactions as services
from leads.forms_interactions import AttachmentForm, FollowUpForm, interaction_forms
from leads.models import Interaction, Lead

INTERACTIONS_SHOWN = 50
APPOINTMENTS_MAX = 10
TAB_TEMPLATE = "leads/_activity_tab.html"


def activity_tab_context(request, lead, *, forms=None, notice=""):
    """Context for templates/leads/_activity_tab.html. `forms` replaces some of the blank
    forms (a bound form with errors): keys "interactions" (+ "active_kind"), "follow_up",
    "attachment"."""
    timeline, files = services.lead_activity(lead, INTERACTIONS_SHOWN + 1)
    upcoming, needs_follow_up = services.follow_up_state(lead)
    blank = {
        "interactions": interaction_forms(),
        "active_kind": Interaction.Kind.CALL,
        "follow_up": FollowUpForm(initial={"assignee": lead.assigned_to_id}),
        "attachment": AttachmentForm(),
    }
    return {
        "lead": lead,
        "interactions": timeline[:INTERACTIONS_SHOWN],
        "more_interactions": len(timeline) > INTERACTIONS_SHOWN,
        "attachments": files,
        "next_follow_up": upcoming.due_date if upcoming else None,
        "next_follow_up_task": upcoming,
        "needs_follow_up": needs_follow_up,
        "forms": {**blank, **(forms or {})},
        "notice": notice,
        "can_change": request.user.has_perm("leads.change_lead"),
    }


def appointments_widget_context(request):
    """The user's meetings from now on: those they logged and those of their leads (two
    indexed queries, merged)."""
    upcoming = (Interaction.objects
                .filter(kind=Interaction.Kind.MEETING, meeting_at__gte=timezone.now())
                .select_related("lead").order_by("meeting_at", "id"))
    mine = list(upcoming.filter(created_by=request.user)[:APPOINTMENTS_MAX])
    mine += upcoming.filter(lead__assigned_to=request.user).exclude(
        created_by=request.user)[:APPOINTMENTS_MAX]
    mine.sort(key=lambda meeting: (meeting.meeting_at, meeting.pk))
    return {"appointments": mine[:APPOINTMENTS_MAX]}


# --- responses ---------------------------------------------------------------------------

def _visible_lead(request, pk):
    return get_object_or_404(Lead.objects.visible_to(request.user).select_related("assigned_to"),
                             pk=pk)


def _tab(request, lead, **context):
    lead = _visible_lead(request, lead.pk)  # fresh: the service may have changed it
    return render(request, TAB_TEMPLATE, activity_tab_context(request, lead, **context))


def _done(request, lead, message):
    if request.htmx:
        return _tab(request, lead, notice=message)
    messages.success(request, message)
    return redirect(f"{lead.get_absolute_url()}#activity")


def _refused(request, lead, form, forms):
    if request.htmx:
        return _tab(request, lead, forms=forms)
    messages.error(request, _errors_text(form))
    return redirect(f"{lead.get_absolute_url()}#activity")


def _errors_text(form):
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


def _add_service_errors(form, exc):
    """A rule the service refused shows on the field it names, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


def _submit(request, lead, form, action, *, success, forms):
    """Validate `form`, run `action()` (one service call) and answer with `success(result)`
    or with the errors."""
    if form.is_valid():
        try:
            result = action()
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return _done(request, lead, success(result))
    return _refused(request, lead, form, forms)


# --- actions ------------------------------------------------------------------------------

def _logged_message(interaction):
    if interaction.kind == Interaction.Kind.MEETING:
        when = timezone.localtime(interaction.meeting_at)
        return (f"Meeting on {when:%d.%m.%Y %H:%M} logged: it is in the upcoming appointments "
                "and the agent's tasks.")
    return f"{interaction.get_kind_display()} logged."


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def interaction_add(request, pk):
    lead = _visible_lead(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in Interaction.Kind.values:
        raise Http404("Unknown kind of activity.")
    forms = interaction_forms(request.POST, request.FILES, bound_kind=kind)
    form = next(form for form in forms if form.kind == kind)
    return _submit(
        request, lead, form,
        lambda: services.interaction_log(actor=request.user, lead=lead,
                                         **form.service_arguments()),
        success=_logged_message, forms={"interactions": forms, "active_kind": kind})


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def interaction_delete(request, pk):
    interaction = get_object_or_404(
        Interaction.objects.filter(lead__in=Lead.objects.visible_to(request.user)), pk=pk)
    services.interaction_delete(actor=request.user, interaction=interaction)
    return _done(request, interaction.lead,
                 f"{interaction.get_kind_display()} removed from the activity log.")


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def follow_up(request, pk):
    lead = _visible_lead(request, pk)
    form = FollowUpForm(request.POST)
    return _submit(
        request, lead, form,
        lambda: services.lead_follow_up(actor=request.user, lead=lead,
                                        **form.service_arguments()),
        success=lambda task: (f"Follow-up “{task.title}” set for {task.due_date:%d.%m.%Y} "
                              f"({task.assignee})."),
        forms={"follow_up": form})


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def attachment_add(request, pk):
    lead = _visible_lead(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    return _submit(
        request, lead, form,
        lambda: services.lead_attachment_add(actor=request.user, lead=lead,
                                             upload=form.cleaned_data["file"]),
        success=lambda attachment: f"File “{attachment.name}” attached.",
        forms={"attachment": form})


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    lead = services.attachment_lead(attachment)
    if lead is None or not Lead.objects.visible_to(request.user).filter(pk=lead.pk).exists():
        raise Http404("No such file.")
    services.lead_attachment_delete(actor=request.user, attachment=attachment)
    return _done(request, lead, f"File “{attachment.name}” removed.")
