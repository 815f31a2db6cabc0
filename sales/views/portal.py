"""The client portal: one proposal or contract opened through its link, without logging in.

Every response carries headers that keep the link (the token is in the URL) out of other
sites' referrers, search engines and shared caches. A wrong token answers 404 and an address
that keeps guessing 429, both before anything about the document is read."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found

from crmconnect.core.portal import TooManyLookups, find_by_token
from crmconnect.staff.throttle import client_ip

from ..forms.portal import AcceptForm, CommentForm, DeclineForm
from ..models import Contract, Proposal
from ..pdf import contract_context, document_context
from ..pdf import contract_pdf as render_contract_pdf
from ..pdf import proposal_pdf as render_proposal_pdf
from ..services import contracts as contract_services
from ..services import portal as services

# "same-origin", not "no-referrer": a link out of the page (one in the cover letter) carries
# no referrer at all, so the token does not leave the site; with "no-referrer" browsers send
# `Origin: null` with the page's own form posts and the CSRF check refuses them.
PORTAL_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def portal_view(view):
    """A public view of a token link: 404/429 for a bad link, the portal headers always."""
    @login_not_required
    @wraps(view)
    def wrapped(request, token, **kwargs):
        try:
            response = view(request, token, **kwargs)
        except TooManyLookups:
            response = render(request, "sales/portal/too_many.html", status=429)
        except Http404 as exc:
            response = page_not_found(request, exc)
        for header, value in PORTAL_HEADERS.items():
            response[header] = value
        return response
    return wrapped


def _find(request, token):
    return find_by_token(request, Proposal.objects.select_related("client", "assigned_to"),
                         token)


def _page(request, token, proposal, **forms):
    """The portal page; `forms` are bound forms being shown again with their errors."""
    name = proposal.recipient_name or proposal.recipient
    context = {
        **document_context(proposal),
        "comments": list(proposal.comments.all()),
        "preview": False,
        "token": token,
        "accept_form": AcceptForm(initial={"signer_name": name,
                                           "signer_email": proposal.recipient_email}),
        "decline_form": DeclineForm(),
        "comment_form": CommentForm(initial={"name": name}),
        **forms,
    }
    return render(request, "sales/portal/proposal.html", context)


@portal_view
@require_GET
def proposal(request, token):
    found = services.portal_open(proposal=_find(request, token), ip=client_ip(request))
    return _page(request, token, found)


@portal_view
@require_GET
def proposal_pdf(request, token):
    found = _find(request, token)
    response = HttpResponse(render_proposal_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


def _done(request, form, action, success):
    """Run the client's action with the form's data: True when it went through (`success`
    is shown next), else False with the reason on the form, to be shown again as typed."""
    if form.is_valid():
        try:
            action(form.cleaned_data, client_ip(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return True
    messages.error(request, " ".join(form.non_field_errors())
                   or "That did not go through: see the form below.")
    return False


def _submit(request, token, form_class, form_key, action, success):
    found = _find(request, token)
    form = form_class(request.POST)
    if _done(request, form, lambda data, ip: action(found, data, ip), success):
        return redirect("portal:proposal", token=token)
    return _page(request, token, found, **{form_key: form})


@portal_view
@require_POST
def proposal_accept(request, token):
    return _submit(request, token, AcceptForm, "accept_form", lambda found, data, ip:
                   services.portal_accept(proposal=found, signer_name=data["signer_name"],
                                          signer_email=data["signer_email"],
                                          signature=data["signature"], ip=ip),
                   "Thank you: the proposal is accepted. We will be in touch shortly.")


@portal_view
@require_POST
def proposal_decline(request, token):
    return _submit(request, token, DeclineForm, "decline_form", lambda found, data, ip:
                   services.portal_decline(proposal=found, reason=data["reason"], ip=ip),
                   "The proposal is declined. Thank you for letting us know.")


@portal_view
@require_POST
def proposal_comment(request, token):
    return _submit(request, token, CommentForm, "comment_form", lambda found, data, ip:
                   services.portal_comment(proposal=found, name=data["name"], body=data["body"],
                                           ip=ip),
                   "Your comment was sent.")


# --- contracts -------------------------------------------------------------------------

def _find_contract(request, token):
    return find_by_token(request, Contract.objects.select_related(
        "client", "contact", "contract_type", "status", "assigned_to", "previous"), token)


def _contract_page(request, token, contract, sign_form=None):
    """The contract to read and, until it is signed, the form to sign it."""
    contact = contract.contact
    context = {
        **contract_context(contract),
        "token": token,
        "sign_form": sign_form or AcceptForm(initial={
            "signer_name": str(contact) if contact else "",
            "signer_email": contact.email if contact else ""}),
        "refusal": contract_services.sign_refusal(contract),
    }
    return render(request, "sales/portal/contract.html", context)


@portal_view
@require_GET
def contract(request, token):
    return _contract_page(request, token, _find_contract(request, token))


@portal_view
@require_POST
def contract_sign(request, token):
    found = _find_contract(request, token)
    form = AcceptForm(request.POST)
    if _done(request, form, lambda data, ip: contract_services.contract_sign(
            contract=found, signer_name=data["signer_name"], signer_email=data["signer_email"],
            signature=data["signature"], ip=ip),
            "Thank you: the contract is signed. Your signed copy is ready to download."):
        return redirect("portal:contract", token=token)
    return _contract_page(request, token, found, form)


@portal_view
@require_GET
def contract_pdf(request, token):
    """The signed copy once signed (frozen at signing), else the contract as it stands."""
    found = _find_contract(request, token)
    if found.signed_pdf:
        try:
            with found.signed_pdf.open("rb") as stored:
                data = stored.read()
        except FileNotFoundError as exc:  # never the current text in place of what was signed
            raise Http404 from exc
        name = f"{found.number}-signed"
    else:
        data, name = render_contract_pdf(found), found.number
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name.replace(" ", "-")}.pdf"'
    return response
