"""The lead and opportunity record pages: create, detail, edit and the record's actions (lost,
junk, restore, delete, convert to an opportunity or a client)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.activity.queries import record_history
from crmconnect.core.navigation import lead_tabs
from crmconnect.core.pages import action_result, form_methods, form_page, posted, report_refusal

from .. import config_services, services
from ..forms import ConvertOpportunityForm, LeadForm, LostForm, OpportunityForm
from ..models import CustomField, Lead
from .interactions import activity_tab_context

CHANGE = "leads.change_lead"


def _visible(request):
    return Lead.objects.visible_to(request.user)


def _record(request, pk):
    return get_object_or_404(_visible(request), pk=pk)


def _noun(lead):
    return "Opportunity" if lead.is_opportunity else "Lead"


@transaction.atomic
def _save(request, form, service, **kwargs):
    """Tags (missing ones created) and the record change in one transaction."""
    tags = config_services.tags_get_or_create(actor=request.user,
                                              names=form.cleaned_data["tags"])
    return service(actor=request.user, tags=tags, custom_values=form.custom_values(),
                   **kwargs, **form.values())


# --- create and edit ---------------------------------------------------------------------

@form_methods
@permission_required("leads.add_lead", raise_exception=True)
def lead_create(request):
    form = LeadForm(posted(request), user=request.user, pipeline=request.GET.get("pipeline"))

    def save(data):
        lead = _save(request, form, services.lead_create)
        messages.success(request, f"Lead “{lead}” added.")
        return redirect(lead)

    return form_page(request, form, "leads/record/form.html",
                     {"title": "Add lead", "cancel_url": reverse("leads:board")}, save)


def _edit(request, pk, *, opportunity):
    lead = _record(request, pk)
    if lead.is_opportunity != opportunity:
        name = "leads:opportunity_edit" if lead.is_opportunity else "leads:edit"
        return redirect(name, pk=lead.pk)
    form_class = OpportunityForm if opportunity else LeadForm
    form = form_class(posted(request), instance=lead, user=request.user)
    title = f"Edit {_noun(lead).lower()} {lead}"

    def save(data):
        saved = _save(request, form, services.lead_update, lead=lead)
        messages.success(request, f"{_noun(saved)} “{saved}” saved.")
        return redirect(saved)

    return form_page(request, form, "leads/record/form.html",
                     {"title": title, "lead": lead, "cancel_url": lead.get_absolute_url()},
                     save)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def lead_edit(request, pk):
    return _edit(request, pk, opportunity=False)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def opportunity_edit(request, pk):
    return _edit(request, pk, opportunity=True)


# --- detail ------------------------------------------------------------------------------

def _typed(custom, value):
    """A stored custom value as its type (dates and numbers are stored as text)."""
    if value in (None, ""):
        return None
    try:
        if custom.field_type == CustomField.Type.DATE:
            return datetime.date.fromisoformat(value)
        if custom.field_type == CustomField.Type.NUMBER:
            return Decimal(str(value))
    except (ValueError, InvalidOperation):
        return value
    return value


def _custom_rows(lead):
    """(label, value) of each active custom field."""
    return [(custom.label, _typed(custom, lead.custom_values.get(custom.key)))
            for custom in CustomField.objects.filter(active=True)]


def _detail(request, pk, *, opportunity):
    lead = get_object_or_404(
        _visible(request).select_related(
            "pipeline", "status", "source", "assigned_to", "lost_reason", "client",
            "opportunity_status", "converted_from", "created_by"),
        pk=pk)
    if lead.is_opportunity != opportunity:
        return redirect(lead)
    can_change = request.user.has_perm(CHANGE)
    context = {
        "lead": lead,
        "noun": _noun(lead),
        "tags": list(lead.tags.all()),
        "custom_rows": _custom_rows(lead),
        "history_rows": record_history(lead),
        "opportunities": ([] if lead.is_opportunity else
                          list(lead.opportunities.select_related("opportunity_status",
                                                                 "assigned_to"))),
        "statuses": (list(lead.pipeline.statuses.order_by("order", "id"))
                     if can_change and lead.is_active and not lead.is_opportunity else []),
        "lost_form": LostForm(auto_id="lost_%s") if can_change and lead.is_active else None,
        "tabs": list(lead_tabs.visible(request, lead=lead)),
        # The proposals module (a layer up) adds the page; this page only links to it.
        "can_create_proposal": request.user.has_perm("sales.add_proposal"),
        **activity_tab_context(request, lead),
    }
    return render(request, "leads/record/detail.html", context)


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def lead_detail(request, pk):
    return _detail(request, pk, opportunity=False)


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def opportunity_detail(request, pk):
    return _detail(request, pk, opportunity=True)


# --- actions -----------------------------------------------------------------------------

@require_POST
@permission_required(CHANGE, raise_exception=True)
def lead_lost(request, pk):
    lead = _record(request, pk)
    form = LostForm(request.POST)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, f"Not marked lost: {' '.join(errors)}")
        return redirect(lead)
    reason = form.cleaned_data["reason"]
    return action_result(
        request, lambda: services.lead_mark_lost(actor=request.user, lead=lead, reason=reason,
                                                 note=form.cleaned_data["note"]),
        success=f"{_noun(lead)} “{lead}” marked lost ({reason}).", redirect_to=lead)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def lead_junk(request, pk):
    lead = _record(request, pk)
    return action_result(
        request, lambda: services.lead_mark_junk(actor=request.user, lead=lead),
        success=f"{_noun(lead)} “{lead}” marked junk: it is out of the pipeline and reports.",
        redirect_to=lead)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def lead_restore(request, pk):
    lead = _record(request, pk)
    return action_result(
        request, lambda: services.lead_restore(actor=request.user, lead=lead),
        success=f"{_noun(lead)} “{lead}” is back in the pipeline.", redirect_to=lead)


@require_POST
@permission_required("leads.delete_lead", raise_exception=True)
def lead_delete(request, pk):
    lead = _record(request, pk)
    back = "leads:opportunities" if lead.is_opportunity else "leads:board"
    return action_result(
        request, lambda: services.lead_delete(actor=request.user, lead=lead),
        success=f"{_noun(lead)} “{lead}” deleted.", redirect_to=back)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def lead_convert_opportunity(request, pk):
    lead = _record(request, pk)
    if lead.is_opportunity:
        messages.error(request, "This is already an opportunity.")
        return redirect(lead)
    form = ConvertOpportunityForm(posted(request), user=request.user, lead=lead)

    def convert(data):
        opportunity = services.lead_convert_to_opportunity(actor=request.user, lead=lead,
                                                           **data)
        messages.success(request, f"Opportunity created from lead “{lead}”; the lead stays "
                                  "in the pipeline.")
        return redirect(opportunity)

    return form_page(request, form, "leads/record/convert_opportunity.html",
                     {"lead": lead, "cancel_url": lead.get_absolute_url()}, convert)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def lead_convert_client(request, pk):
    lead = _record(request, pk)
    if not request.user.has_perm("clients.add_client"):
        messages.error(request, "Converting needs the permission to add clients: ask a "
                                "manager to convert it.")
        return redirect(lead)
    try:
        client = services.lead_convert_to_client(actor=request.user, lead=lead)
    except ValidationError as exc:
        report_refusal(request, exc)
        return redirect(lead)
    messages.success(request, f"{_noun(lead)} “{lead}” converted to the client “{client}”.")
    return redirect(client)
