"""The contracts list (filters, export), the contract form, the contract page and its
actions: each action a POST that calls one service and goes back to a page with what happened
(or why not)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.activity.attachments import attachments_for
from crmconnect.activity.models import Attachment
from crmconnect.activity.queries import record_history
from crmconnect.core.pages import (
    form_errors_text,
    form_methods,
    posted,
    record_action,
    record_form_action,
    report_refusal,
)
from leads.forms_interactions import AttachmentForm

from .. import queries_contracts
from ..exports_contracts import CONTRACTS
from ..filters_contracts import ContractFilter
from ..forms.contracts import ContractForm, ContractStatusForm, RevisionForm, SignedManuallyForm
from ..forms.proposals import line_formset
from ..models import Contract, Proposal
from ..pdf import contract_context
from ..pdf import contract_pdf as render_contract_pdf
from ..services import attachments as document_files
from ..services import contracts as services
from ..services.lines import line_values
from ..trail import document_trail
from .lists import document_export, document_list, visible_client
from .proposals import lines_form_page

FORM_TEMPLATE = "sales/contracts/form.html"
VIEW = "sales.view_contract"
CHANGE = "sales.change_contract"
SIGN = "sales.sign_contract"


def _contract(request, pk):
    return get_object_or_404(Contract.objects.visible_to(request.user), pk=pk)


def _refused(request, exc, to):
    report_refusal(request, exc)
    return redirect(to)


# --- the list ------------------------------------------------------------------------------

def _filterset(request):
    return ContractFilter(request.GET, queryset=queries_contracts.contract_list(request.user),
                          request=request)


@require_GET
@permission_required(VIEW, raise_exception=True)
def contract_list(request):
    return document_list(request, _filterset(request), "sales/contracts/list.html")


@require_GET
@permission_required("sales.export_contract", raise_exception=True)
def contract_export(request):
    return document_export(request, _filterset(request), CONTRACTS)


# --- the form ------------------------------------------------------------------------------

@form_methods
@permission_required("sales.add_contract", raise_exception=True)
def contract_create(request):
    client = visible_client(request, request.GET.get("client", ""))
    initial = {"client": client, "currency": client.currency} if client else {}
    form = ContractForm(posted(request), initial=initial, user=request.user)
    formset = line_formset(posted(request), required=False)

    def save(values, lines):
        contract = services.contract_create(actor=request.user, lines=lines, **values)
        messages.success(request, f"Contract {contract.number} created as a draft.")
        return redirect(contract)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": "New contract",
        "cancel_url": client.get_absolute_url() if client else reverse("sales:contracts"),
    }, save)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def contract_edit(request, pk):
    contract = get_object_or_404(queries_contracts.contract_detail(request.user), pk=pk)
    if contract.is_signed:
        # The contract page offers the amendment and the new version next to the message.
        messages.error(request, services.SIGNED_REFUSAL)
        return redirect(contract.get_absolute_url() + "#revise")
    form = ContractForm(posted(request), instance=contract, user=request.user)
    formset = line_formset(posted(request), required=False,
                           lines=line_values(contract.lines.select_related("item")))

    def save(values, lines):
        saved = services.contract_update(actor=request.user, contract=contract, lines=lines,
                                         **values)
        messages.success(request, f"Contract {saved.number} saved.")
        return redirect(saved)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": f"Edit contract {contract.number}",
        "contract": contract,
        "cancel_url": contract.get_absolute_url(),
    }, save)


@require_POST
@permission_required("sales.add_contract", raise_exception=True)
def contract_from_proposal(request, proposal_pk):
    """"Create Contract" on an accepted proposal: the new draft opens in its form."""
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=proposal_pk)
    try:
        contract = services.contract_from_proposal(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        return _refused(request, exc, proposal)
    messages.success(request, f"Contract {contract.number} created from proposal "
                              f"{proposal.number}: check the dates and the contract text.")
    return redirect("sales:contract_edit", contract.pk)


# --- the contract page ---------------------------------------------------------------------

def _actions(user, contract):
    """Which buttons the page offers: what the contract's state allows and the user's role
    permits. The services check the same again."""
    can = user.has_perm
    signed = contract.is_signed
    return {
        "edit": can(CHANGE) and not signed,
        "send": can(SIGN) and not signed,
        "mark_signed": can(SIGN) and not signed,
        "status": can(CHANGE),
        "revise": can("sales.add_contract") and can(CHANGE) and signed,
        "renew": can("sales.add_proposal") and signed,
        "delete": can("sales.delete_contract") and not signed,
        "attach": can(CHANGE),
    }


@require_GET
@permission_required(VIEW, raise_exception=True)
def contract_detail(request, pk):
    contract = get_object_or_404(queries_contracts.contract_detail(request.user), pk=pk)
    return render(request, "sales/contracts/detail.html", {
        **contract_context(contract),  # lines and totals exactly as the PDF shows them
        "actions": _actions(request.user, contract),
        "attachments": attachments_for([contract])[contract],
        "versions": queries_contracts.contract_versions(contract),
        "history_rows": record_history(contract),
        "trail": document_trail(contract, request.user),
        "status_form": ContractStatusForm(contract=contract),
        "signed_form": SignedManuallyForm(),
        "attachment_form": AttachmentForm(),
    })


@require_GET
@permission_required(VIEW, raise_exception=True)
def contract_pdf(request, pk):
    """The contract's current text as a PDF (once signed, the archived copy is the signed
    PDF)."""
    contract = get_object_or_404(queries_contracts.contract_detail(request.user), pk=pk)
    response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(contract)}.pdf"'
    return response


@require_GET
@permission_required(VIEW, raise_exception=True)
def contract_signed_pdf(request, pk):
    """The PDF frozen when the contract was signed: served only to who may see the contract,
    never through a public media URL."""
    contract = _contract(request, pk)
    if not contract.signed_pdf:
        raise Http404("The contract has no signed PDF.")
    try:
        handle = contract.signed_pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The signed PDF is no longer stored.") from exc
    response = FileResponse(handle, as_attachment=True, content_type="application/pdf",
                            filename=f"{_file_stem(contract)}-signed.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_stem(contract):
    return contract.number.replace(" ", "-")


# --- actions -------------------------------------------------------------------------------

@require_POST
@permission_required(SIGN, raise_exception=True)
def contract_send(request, pk):
    contract = _contract(request, pk)
    return record_action(request, contract,
                lambda: services.contract_send_for_signature(actor=request.user,
                                                             contract=contract),
                lambda link: f"Sent for signature. Signing link: {link} — it is shown only "
                             "this once; any earlier link stops working.")


@require_POST
@permission_required(SIGN, raise_exception=True)
def contract_signed_manually(request, pk):
    contract = _contract(request, pk)
    form = SignedManuallyForm(request.POST, request.FILES)
    return record_form_action(
        request, contract, form,
        lambda data: services.contract_mark_signed_manually(
            actor=request.user, contract=contract, signer_name=data["signer_name"],
            signed_on=data["signed_on"], scan=data["scan"]),
        lambda signed: f"Contract {signed.number} recorded as signed on paper: it is now "
                       f"{signed.status}.")


@require_POST
@permission_required(CHANGE, raise_exception=True)
def contract_status(request, pk):
    contract = _contract(request, pk)
    return record_form_action(
        request, contract, ContractStatusForm(request.POST, contract=contract),
        lambda data: services.contract_change_status(actor=request.user, contract=contract,
                                                     status=data["status"]),
        lambda changed: f"Contract {changed.number} is now {changed.status}.")


@require_POST
@permission_required("sales.add_contract", raise_exception=True)
def contract_revision(request, pk):
    """An amendment or a new version: a draft copy that opens in its form."""
    contract = _contract(request, pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {form_errors_text(form)}")
        return redirect(contract)
    try:
        copy = services.contract_new_revision(actor=request.user, contract=contract,
                                              revision=form.cleaned_data["revision"])
    except ValidationError as exc:
        return _refused(request, exc, contract)
    messages.success(request, f"{copy.get_revision_display()} {copy.number} of "
                              f"{contract.number} created as a draft.")
    return redirect("sales:contract_edit", copy.pk)


@require_POST
@permission_required("sales.add_proposal", raise_exception=True)
def contract_renew(request, pk):
    contract = _contract(request, pk)
    try:
        proposal = services.contract_renew(actor=request.user, contract=contract)
    except ValidationError as exc:
        return _refused(request, exc, contract)
    messages.success(request, f"Renewal proposal {proposal.number} prepared from contract "
                              f"{contract.number}: check it and send it to the client.")
    return redirect(proposal)


@require_POST
@permission_required("sales.delete_contract", raise_exception=True)
def contract_delete(request, pk):
    contract = _contract(request, pk)
    try:
        services.contract_delete(actor=request.user, contract=contract)
    except ValidationError as exc:
        return _refused(request, exc, contract)
    messages.success(request, f"Contract {contract.number} deleted.")
    return redirect("sales:contracts")


# --- files ---------------------------------------------------------------------------------

@require_POST
@permission_required(CHANGE, raise_exception=True)
def contract_attachment_add(request, pk):
    contract = _contract(request, pk)
    return record_form_action(
        request, contract, AttachmentForm(request.POST, request.FILES),
        lambda data: document_files.document_attachment_add(
            actor=request.user, document=contract, upload=data["file"]),
        lambda attachment: f"File “{attachment.name}” attached.", anchor="#attachments")


@require_POST
@permission_required(CHANGE, raise_exception=True)
def contract_attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    contract = document_files.attachment_document(attachment, Contract)
    if contract is None or not Contract.objects.visible_to(request.user).filter(
            pk=contract.pk).exists():
        raise Http404("No such file.")
    return record_action(request, contract,
                lambda: document_files.document_attachment_delete(
                    actor=request.user, attachment=attachment, model=Contract),
                lambda _: f"File “{attachment.name}” removed.", anchor="#attachments")
