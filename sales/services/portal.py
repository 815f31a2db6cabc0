"""What the client does through the proposal's portal link: open, comment, accept, decline.
There is no acting user; each action is logged with the client's address and time."""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crmconnect.activity.services import notify

from ..events import proposal_accepted, proposal_commented, proposal_declined, proposal_viewed
from ..models import Proposal, ProposalComment, ProposalSettings
from .proposals import log

Status = Proposal.Status
PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 200_000


def _locked(proposal):
    return (Proposal.objects.select_for_update(of=("self",)).select_related("assigned_to")
            .get(pk=proposal.pk))


def _tell_staff(proposal, message):
    for person in {proposal.assigned_to, proposal.created_by} - {None}:
        notify(recipient=person, message=message, url=proposal.get_absolute_url())


@transaction.atomic
def portal_open(*, proposal, ip):
    """The client opened the link: a sent proposal becomes Reviewed and the agent is told at
    once. Opening again changes nothing."""
    proposal = _locked(proposal)
    if proposal.status not in (Status.SENT, Status.SENT_MANUALLY):
        return proposal
    proposal.mark_viewed()
    proposal.save(update_fields=["status", "viewed_at", "updated_at"])
    log(None, proposal, "proposal.viewed", "opened by the client", ip_address=ip,
        changes={"status": ["Sent", "Reviewed"]})
    _tell_staff(proposal, f"{proposal.recipient} is reading proposal {proposal.number} now — "
                          f"contact them immediately.")
    transaction.on_commit(lambda: proposal_viewed.send(sender=Proposal, proposal=proposal))
    return proposal


def accept_refusal(proposal):
    """Why the client cannot accept now, or None."""
    if proposal.status == Status.ACCEPTED:
        return "This proposal is already accepted."
    if proposal.status not in Proposal.OUT_WITH_CLIENT:
        return "This proposal is not open for acceptance."
    if proposal.is_expired:
        return (f"This proposal expired on {proposal.open_till:%d.%m.%Y}. Contact us for an "
                f"updated offer.")
    return None


def clean_signature(signature, signer_name):
    """The drawn signature (a PNG data URL, checked) or the typed name, which must be the
    signer's."""
    signature = (signature or "").strip()
    if signature.startswith(PNG_PREFIX):
        try:
            raw = base64.b64decode(signature[len(PNG_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if not raw.startswith(PNG_MAGIC) or len(raw) > MAX_SIGNATURE_BYTES:
            raise ValidationError({"signature": "The drawn signature could not be read: draw "
                                                "it again or type your name."})
        return signature
    if not signature:
        raise ValidationError({"signature": "Sign by drawing or typing your name."})
    if signature.casefold() != signer_name.casefold():
        raise ValidationError({"signature": "A typed signature must be your name as above."})
    return signature[:200]


@transaction.atomic
def portal_accept(*, proposal, signer_name, signer_email, signature, ip):
    """Accept with a signature. A second accept, an expired or closed proposal change nothing
    (the first two silently, the last with the reason)."""
    proposal = _locked(proposal)
    if proposal.status == Status.ACCEPTED:
        return proposal
    refusal = accept_refusal(proposal)
    if refusal:
        raise ValidationError(refusal)
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError({"signer_name": "Type your full name."})
    signature = clean_signature(signature, signer_name)
    old = proposal.get_status_display()
    proposal.accept()
    proposal.signer_name, proposal.signer_email = signer_name[:200], (signer_email or "")[:254]
    proposal.signature, proposal.signed_ip = signature, ip or None
    proposal.save()
    log(None, proposal, "proposal.accepted", f"accepted by {signer_name} in the portal",
        {"status": [old, "Accepted"]}, ip_address=ip)
    _tell_staff(proposal, f"{proposal.recipient} accepted proposal {proposal.number}.")
    auto_convert = ProposalSettings.load().estimate_auto_convert_to_invoice_on_client_accept
    transaction.on_commit(lambda: proposal_accepted.send(
        sender=Proposal, proposal=proposal, actor=None, via_portal=True,
        auto_convert=auto_convert))
    return proposal


@transaction.atomic
def portal_decline(*, proposal, reason, ip):
    proposal = _locked(proposal)
    if proposal.status == Status.DECLINED:
        return proposal
    if proposal.status not in Proposal.OUT_WITH_CLIENT:
        raise ValidationError("This proposal is not open for a decision.")
    old = proposal.get_status_display()
    proposal.decline()
    proposal.decline_reason = (reason or "").strip()[:2000]
    proposal.save()
    log(None, proposal, "proposal.declined", "declined by the client in the portal",
        {"status": [old, "Declined"], "decline_reason": [None, proposal.decline_reason or None]},
        ip_address=ip)
    _tell_staff(proposal, f"{proposal.recipient} declined proposal {proposal.number}.")
    transaction.on_commit(lambda: proposal_declined.send(
        sender=Proposal, proposal=proposal, actor=None, via_portal=True))
    return proposal


@transaction.atomic
def portal_comment(*, proposal, name, body, ip):
    proposal = _locked(proposal)
    if not proposal.allow_comments:
        raise ValidationError("Comments are closed on this proposal.")
    body, name = (body or "").strip(), (name or "").strip() or proposal.recipient
    if not body:
        raise ValidationError({"body": "Write your comment."})
    comment = ProposalComment.objects.create(proposal=proposal, author_name=name[:200],
                                             body=body[:5000], ip_address=ip or None,
                                             created_at=timezone.now())
    log(None, proposal, "proposal.commented", f"comment from {name}", ip_address=ip)
    _tell_staff(proposal, f"{name} commented on proposal {proposal.number}.")
    transaction.on_commit(lambda: proposal_commented.send(sender=Proposal, proposal=proposal,
                                                          comment=comment))
    return comment
