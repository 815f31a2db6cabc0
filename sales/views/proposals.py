"""The proposals list (filters, export), the proposal page and the proposal form."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_fsm import can_proceed

from crmconnect.activity.attachments import attachments_for
from crmconnect.activity.queries import record_history
from crmconnect.core.pages import form_methods, form_page, posted
from leads.forms import LostForm
from leads.forms_interactions import AttachmentForm
from leads.models import Lead

from .. import queries
from ..exports import PROPOSALS
from ..filters_proposals import ProposalFilter
from ..forms.proposals import (
    ExtendForm,
    ProposalForm,
    ReplyForm,
    StatusForm,
    line_formset,
)
from ..models import Proposal, ProposalTemplate
from ..pdf import document_context
from ..services import proposals as services
from ..services.lines import line_values
from ..services.proposal_templates import proposal_initial_from
from ..trail import document_trail
from ..widgets import proposal_actions
from .lists import document_export, document_list

FORM_TEMPLATE = "sales/proposals/form.html"
Status = Proposal.Status


def _filterset(request):
    return ProposalFilter(request.GET, queryset=queries.proposal_list(request.user),
                          request=request)


@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def proposal_list(request):
    return document_list(request, _filterset(request), "sales/proposals/list.html")


@require_GET
@permission_required("sales.export_proposal", raise_exception=True)
def proposal_export(request):
    return document_export(request, _filterset(request), PROPOSALS)


# --- the form ----------------------------------------------------------------------------

def lines_form_page(request, form, formset, template, context, save):
    """A form with a lines editor (proposals, templates): a valid POST of both calls
    `save(values, lines)`; otherwise, or when the service refuses, the page shows again with
    the errors and everything the user typed."""
    def on_valid(data):
        if not formset.is_valid():
            raise ValidationError("Correct the lines marked below; nothing was saved.")
        return save(form.values(), formset.values())

    return form_page(request, form, template, {"formset": formset, **context}, on_valid)


def _prefill_sources(request):
    """The lead, client and template named in ?lead=&client=&template=, if the user may see
    them (a link to something out of scope starts an empty proposal)."""
    def visible(queryset, parameter):
        value = request.GET.get(parameter, "")
        return queryset.filter(pk=value).first() if value.isdigit() else None

    return {"lead": visible(Lead.objects.visible_to(request.user).select_related("client"),
                            "lead"),
            "client": visible(queries.visible_clients(request.user), "client"),
            "template": visible(ProposalTemplate.objects.filter(active=True), "template")}


@form_methods
@permission_required("sales.add_proposal", raise_exception=True)
def proposal_create(request):
    sources = _prefill_sources(request)
    initial, lines = proposal_initial_from(**sources)
    form = ProposalForm(posted(request), initial=initial, user=request.user)
    formset = line_formset(posted(request), lines=lines)
    query = request.GET.copy()
    query.pop("template", None)

    def save(values, line_rows):
        proposal = services.proposal_create(actor=request.user, lines=line_rows, **values)
        messages.success(request, f"Proposal {proposal.number} created as a draft.")
        return redirect(proposal)

    back = sources["lead"] or sources["client"]
    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": "New proposal",
        "lead": sources["lead"],
        "templates": ProposalTemplate.objects.filter(active=True).only("pk", "name"),
        "chosen_template": sources["template"],
        "picker_query": query,
        "cancel_url": back.get_absolute_url() if back else reverse("sales:proposals"),
    }, save)


@form_methods
@permission_required("sales.change_proposal", raise_exception=True)
def proposal_edit(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("lead"), pk=pk)
    if not proposal.is_editable:
        messages.error(request, f"A proposal that is {proposal.get_status_display()} cannot "
                                "be edited: create a new one.")
        return redirect(proposal)
    form = ProposalForm(posted(request), instance=proposal, user=request.user)
    formset = line_formset(posted(request),
                           lines=line_values(proposal.lines.select_related("item")))

    def save(values, line_rows):
        saved = services.proposal_update(actor=request.user, proposal=proposal,
                                         lines=line_rows, **values)
        note = (" It is now Revised: send it again so the client sees the changes."
                if saved.status == Status.REVISED and proposal.status != Status.REVISED else "")
        messages.success(request, f"Proposal {saved.number} saved.{note}")
        return redirect(saved)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": f"Edit proposal {proposal.number}",
        "proposal": proposal,
        "lead": proposal.lead,
        "with_client": proposal.status in Proposal.OUT_WITH_CLIENT,
        "cancel_url": proposal.get_absolute_url(),
    }, save)


# --- the client picker's lookups ---------------------------------------------------------

@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def client_search(request):
    text = request.GET.get("q", "").strip()
    rows = queries.client_search(request.user, text) if len(text) >= 2 else []
    return JsonResponse({"results": [{"id": client.pk, "name": client.name,
                                      "hint": client.search_hint} for client in rows]})


@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def client_contacts(request, pk):
    client = get_object_or_404(queries.visible_clients(request.user), pk=pk)
    contacts = list(client.contacts.all())
    return JsonResponse({"currency": client.currency, "contacts": [
        {"id": contact.pk, "name": str(contact), "email": contact.email,
         "primary": contact.is_primary} for contact in contacts]})


# --- the proposal page -------------------------------------------------------------------

def _actions(user, proposal, order, status_form):
    """Which buttons the page offers: what the status allows and the user's role permits.
    The services check the same again."""
    can = user.has_perm
    send, change = can("sales.send_proposal"), can("sales.change_proposal")
    return {
        "edit": change and proposal.is_editable,
        "send": send and can_proceed(proposal.send) and not proposal.is_expired,
        "mark_sent": send and can_proceed(proposal.mark_sent_manually),
        "status": send and bool(status_form.fields["status"].choices),
        "extend": change and proposal.status not in Proposal.CLOSED,
        "lost": send and proposal.is_expired and can_proceed(proposal.decline),
        "new_link": send and proposal.status != Status.DRAFT,
        "revoke_link": send and proposal.has_link,
        "delete": can("sales.delete_proposal") and proposal.status != Status.ACCEPTED,
        "convert": (can("sales.add_salesorder") and proposal.status == Status.ACCEPTED
                    and order is None),
        "reply": change,
        "attach": change,
    }


@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def proposal_detail(request, pk):
    proposal = get_object_or_404(queries.proposal_detail(request.user), pk=pk)
    order = queries.proposal_order(proposal)
    status_form = StatusForm(proposal=proposal)
    return render(request, "sales/proposals/detail.html", {
        **document_context(proposal),  # lines and totals exactly as the PDF shows them
        "order": order,
        "trail": document_trail(proposal, request.user),
        "comments": queries.proposal_comments(proposal),
        "attachments": attachments_for([proposal])[proposal],
        "history_rows": record_history(proposal),
        "actions": _actions(request.user, proposal, order, status_form),
        "slot_actions": list(proposal_actions.visible(request, proposal=proposal)),
        "status_form": status_form,
        "extend_form": ExtendForm(initial={"open_till": services.default_open_till()}),
        "lost_form": LostForm(auto_id="lost_%s"),
        "reply_form": ReplyForm(),
        "attachment_form": AttachmentForm(),
    })
