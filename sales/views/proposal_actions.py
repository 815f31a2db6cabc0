"""The proposal page's actions: each a POST that calls one service and goes back to the page
with what happened (or why not), plus the PDF, the client preview and the files."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from crmconnect.activity.models import Attachment
from crmconnect.core.pages import (
    portal_link_note,
    record_action,
    record_form_action,
    report_refusal,
)
from leads.forms import LostForm
from leads.forms_interactions import AttachmentForm

from .. import queries
from ..forms.proposals import ExtendForm, ReplyForm, StatusForm
from ..models import Proposal
from ..pdf import document_context
from ..pdf import proposal_pdf as render_proposal_pdf
from ..services import attachments as document_files
from ..services import proposals as services
from ..services.orders import sales_order_from_proposal

SEND = "sales.send_proposal"
CHANGE = "sales.change_proposal"


def _proposal(request, pk):
    return get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_send(request, pk):
    proposal = _proposal(request, pk)
    return record_action(request, proposal,
                lambda: services.proposal_send(actor=request.user, proposal=proposal),
                lambda link: f"Sent to {proposal.recipient_email}. {portal_link_note(link)}")


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_mark_sent(request, pk):
    proposal = _proposal(request, pk)
    return record_action(request, proposal,
                lambda: services.proposal_mark_sent_manually(actor=request.user,
                                                             proposal=proposal),
                lambda link: f"Marked as sent (no email). {portal_link_note(link)}")


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_status(request, pk):
    proposal = _proposal(request, pk)
    return record_form_action(
        request, proposal, StatusForm(request.POST, proposal=proposal),
        lambda data: services.proposal_change_status(
            actor=request.user, proposal=proposal, status=data["status"],
            reason=data["reason"]),
        lambda changed: f"Proposal {changed.number} is now {changed.get_status_display()}.")


@require_POST
@permission_required(CHANGE, raise_exception=True)
def proposal_extend(request, pk):
    proposal = _proposal(request, pk)
    return record_form_action(
        request, proposal, ExtendForm(request.POST),
        lambda data: services.proposal_extend(actor=request.user, proposal=proposal,
                                              open_till=data["open_till"]),
        lambda changed: f"Open till {changed.open_till:%d.%m.%Y}.")


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_lost(request, pk):
    proposal = _proposal(request, pk)
    return record_form_action(
        request, proposal, LostForm(request.POST),
        lambda data: services.proposal_mark_lost(actor=request.user, proposal=proposal,
                                                 reason=data["reason"], note=data["note"]),
        lambda changed: f"Proposal {changed.number} declined"
                        + (" and its lead marked lost." if changed.lead_id else "."))


@require_POST
@permission_required(CHANGE, raise_exception=True)
def proposal_reply(request, pk):
    proposal = _proposal(request, pk)
    return record_form_action(
        request, proposal, ReplyForm(request.POST),
        lambda data: services.proposal_reply(actor=request.user, proposal=proposal,
                                             body=data["body"]),
        lambda comment: "Reply posted: the client sees it on the proposal's page.",
        anchor="#discussion")


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_link(request, pk):
    proposal = _proposal(request, pk)
    return record_action(request, proposal,
                lambda: services.proposal_regenerate_link(actor=request.user,
                                                          proposal=proposal),
                lambda link: f"New client link. {portal_link_note(link)}")


@require_POST
@permission_required(SEND, raise_exception=True)
def proposal_revoke_link(request, pk):
    proposal = _proposal(request, pk)
    return record_action(request, proposal,
                lambda: services.proposal_revoke_link(actor=request.user, proposal=proposal),
                lambda changed: "Client link revoked: it no longer opens the proposal.")


@require_POST
@permission_required("sales.delete_proposal", raise_exception=True)
def proposal_delete(request, pk):
    proposal = _proposal(request, pk)
    try:
        services.proposal_delete(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        report_refusal(request, exc)
        return redirect(proposal)
    messages.success(request, f"Proposal {proposal.number} deleted.")
    return redirect("sales:proposals")


@require_POST
@permission_required("sales.add_salesorder", raise_exception=True)
def proposal_convert_order(request, pk):
    proposal = _proposal(request, pk)
    try:
        order = sales_order_from_proposal(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        report_refusal(request, exc)
        return redirect(proposal)
    messages.success(request, f"Sales order {order.number} created from proposal "
                              f"{proposal.number}.")
    return redirect(order)


# --- reading ---------------------------------------------------------------------------------

@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def proposal_pdf(request, pk):
    proposal = get_object_or_404(queries.proposal_detail(request.user), pk=pk)
    response = HttpResponse(render_proposal_pdf(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{proposal.number}.pdf"'
    return response


@require_GET
@permission_required("sales.view_proposal", raise_exception=True)
def proposal_preview(request, pk):
    """The client's page as the client sees it; the forms are disabled and the proposal is
    not marked viewed."""
    proposal = get_object_or_404(queries.proposal_detail(request.user), pk=pk)
    return render(request, "sales/portal/proposal.html", {
        **document_context(proposal),
        "comments": queries.proposal_comments(proposal),
        "preview": True,
    })


# --- files -------------------------------------------------------------------------------------

@require_POST
@permission_required(CHANGE, raise_exception=True)
def proposal_attachment_add(request, pk):
    proposal = _proposal(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    return record_form_action(
        request, proposal, form,
        lambda data: document_files.proposal_attachment_add(
            actor=request.user, proposal=proposal, upload=data["file"]),
        lambda attachment: f"File “{attachment.name}” attached.", anchor="#attachments")


@require_POST
@permission_required(CHANGE, raise_exception=True)
def proposal_attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    proposal = document_files.attachment_proposal(attachment)
    if proposal is None or not Proposal.objects.visible_to(request.user).filter(
            pk=proposal.pk).exists():
        raise Http404("No such file.")
    return record_action(request, proposal,
                lambda: document_files.proposal_attachment_delete(actor=request.user,
                                                                  attachment=attachment),
                lambda _: f"File “{attachment.name}” removed.", anchor="#attachments")
