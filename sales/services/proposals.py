"""Every staff change to a proposal: one transaction each, an activity-log row, notifications
and events after commit. The client's own actions in the portal are in `portal.py`."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.attachments import attachments_delete_for
from crmconnect.activity.services import activity_record, apply_changes, notify
from crmconnect.clients.models import Client
from crmconnect.core.portal import new_token
from crmconnect.core.richtext import clean_html
from leads.models import Lead
from leads.services import lead_mark_lost

from ..events import proposal_accepted, proposal_declined, proposal_sent
from ..models import Proposal, ProposalComment, ProposalSettings
from .access import for_change, transition
from .lines import lines_replace

FIELDS = ["subject", "client", "contact", "lead", "template", "recipient_name",
          "recipient_email", "content", "terms", "notes", "currency", "exchange_rate", "date",
          "open_till", "allow_comments", "assigned_to", "discount_percent"]
Status = Proposal.Status


def log(actor, proposal, event, description, changes=None, ip_address=None):
    activity_record(actor=actor, event=event, record=proposal, client=proposal.client,
                    description=f"Proposal {proposal.number}: {description}", changes=changes,
                    ip_address=ip_address)


def portal_url(token):
    return settings.SITE_URL + reverse("portal:proposal", args=[token])


def proposal_for_change(actor, proposal, permission="sales.change_proposal"):
    return for_change(Proposal, actor, proposal, permission)


def _transition(actor, proposal, method):
    transition(actor, proposal, method, "proposal")


def _check_parties(actor, values):
    """The client and lead must be ones the actor can see; the contact must be the client's."""
    client, lead, contact = values.get("client"), values.get("lead"), values.get("contact")
    if client is None and lead is None:
        raise ValidationError({"client": "Choose the client (or create the proposal from a "
                                         "lead)."})
    if client is not None and not Client.objects.visible_to(actor).filter(pk=client.pk).exists():
        raise ValidationError({"client": "You cannot quote this client."})
    if lead is not None and not Lead.objects.visible_to(actor).filter(pk=lead.pk).exists():
        raise ValidationError({"lead": "You cannot quote this lead."})
    if contact is not None and (client is None or contact.client_id != client.pk):
        raise ValidationError({"contact": "The contact must be one of the client's."})


def _recipient_defaults(values):
    """Fill the addressee from the contact, the client's primary contact or the lead."""
    if values.get("recipient_email") and values.get("recipient_name"):
        return
    contact, client, lead = values.get("contact"), values.get("client"), values.get("lead")
    if contact is None and client is not None:
        contact = client.primary_contact
    if contact is not None:
        name, email = f"{contact.first_name} {contact.last_name}".strip(), contact.email
    elif lead is not None:
        name, email = lead.name, lead.email
    else:
        name, email = client.name, client.email
    values.setdefault("recipient_name", name)
    values["recipient_name"] = values["recipient_name"] or name
    values["recipient_email"] = values.get("recipient_email") or email


def default_open_till(date=None):
    return (date or timezone.localdate()) + datetime.timedelta(
        days=ProposalSettings.load().default_open_days)


@transaction.atomic
def proposal_create(*, actor, lines, **values):
    if not actor.has_perm("sales.add_proposal"):
        raise PermissionDenied
    _check_parties(actor, values)
    _recipient_defaults(values)
    values["content"] = clean_html(values.get("content", ""))
    values.setdefault("assigned_to", actor)
    values["assigned_to"] = values["assigned_to"] or actor
    values.setdefault("open_till", None)
    values["open_till"] = values["open_till"] or default_open_till(values.get("date"))
    proposal = Proposal(created_by=actor)
    apply_changes(proposal, values, FIELDS)
    proposal.full_clean(exclude=["status"])  # protected: set by transitions only
    proposal.save()
    lines_replace(proposal, lines)
    proposal.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])
    log(actor, proposal, "proposal.created", f"created for {proposal.recipient} "
                                             f"({proposal.total} {proposal.currency})")
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal, lines, **values):
    """Edit content and lines. A proposal already with the client becomes Revised: the
    agent resends it."""
    proposal = proposal_for_change(actor, proposal)
    if not proposal.is_editable:
        raise ValidationError(f"A proposal that is {proposal.get_status_display()} cannot be "
                              f"edited: create a new one.")
    _check_parties(actor, {"client": proposal.client, "lead": proposal.lead,
                           "contact": proposal.contact, **values})
    if "content" in values:
        values["content"] = clean_html(values["content"])
    before = (proposal.total, proposal.status)
    changes = apply_changes(proposal, values, FIELDS)
    if proposal.status in Proposal.OUT_WITH_CLIENT:
        _transition(actor, proposal, proposal.revise)
        changes["status"] = [Status(before[1]).label, Status.REVISED.label]
    proposal.full_clean(exclude=["status"])  # protected: set by transitions only
    lines_replace(proposal, lines)
    if proposal.total != before[0]:
        changes["total"] = [str(before[0]), str(proposal.total)]
    proposal.save()
    log(actor, proposal, "proposal.updated", "updated", changes)
    return proposal


def _issue_link(proposal):
    token, proposal.token_hash = new_token()
    return portal_url(token)


@transaction.atomic
def proposal_send(*, actor, proposal):
    """Email the client a fresh portal link (any earlier link stops working). Returns the
    link. The email goes out from a background job once this transaction commits."""
    from ..tasks import send_proposal_email

    proposal = proposal_for_change(actor, proposal, "sales.send_proposal")
    if not proposal.recipient_email:
        raise ValidationError("The proposal has no recipient email: edit it and add one.")
    if proposal.is_expired:
        raise ValidationError("The proposal expired: extend its open-till date first.")
    old = proposal.get_status_display()
    _transition(actor, proposal, proposal.send)
    link = _issue_link(proposal)
    proposal.save()
    log(actor, proposal, "proposal.sent", f"sent to {proposal.recipient_email}",
        {"status": [old, proposal.get_status_display()]})
    notify(recipient=proposal.assigned_to, actor=actor, url=proposal.get_absolute_url(),
           message=f"Proposal {proposal.number} was sent to {proposal.recipient}.")
    transaction.on_commit(lambda: send_proposal_email.delay(proposal.pk, link))
    transaction.on_commit(lambda: proposal_sent.send(sender=Proposal, proposal=proposal,
                                                     actor=actor, by_email=True))
    return link


@transaction.atomic
def proposal_mark_sent_manually(*, actor, proposal):
    """Status 7: the agent delivers the proposal themselves. Returns a fresh portal link."""
    proposal = proposal_for_change(actor, proposal, "sales.send_proposal")
    old = proposal.get_status_display()
    _transition(actor, proposal, proposal.mark_sent_manually)
    link = _issue_link(proposal)
    proposal.save()
    log(actor, proposal, "proposal.sent_manually", "marked as sent manually",
        {"status": [old, proposal.get_status_display()]})
    transaction.on_commit(lambda: proposal_sent.send(sender=Proposal, proposal=proposal,
                                                     actor=actor, by_email=False))
    return link


@transaction.atomic
def proposal_regenerate_link(*, actor, proposal):
    proposal = proposal_for_change(actor, proposal, "sales.send_proposal")
    if proposal.status == Status.DRAFT:
        raise ValidationError("A draft has no client link: send it first.")
    link = _issue_link(proposal)
    proposal.save(update_fields=["token_hash", "updated_at"])
    log(actor, proposal, "proposal.link_regenerated", "new client link; the old one no longer "
                                                      "works")
    return link


@transaction.atomic
def proposal_revoke_link(*, actor, proposal):
    proposal = proposal_for_change(actor, proposal, "sales.send_proposal")
    if proposal.token_hash:
        proposal.token_hash = None
        proposal.save(update_fields=["token_hash", "updated_at"])
        log(actor, proposal, "proposal.link_revoked", "client link revoked")
    return proposal


MANUAL_STATUSES = {
    Status.ACCEPTED: "accept", Status.DECLINED: "decline", Status.REVISED: "revise",
    Status.DRAFT: "back_to_draft",
}


@transaction.atomic
def proposal_change_status(*, actor, proposal, status, reason=""):
    """A status set by hand (the client accepted by phone, declined by email, asked for
    changes). Sent statuses come from Send and Mark as sent."""
    proposal = proposal_for_change(actor, proposal, "sales.send_proposal")
    status = Status(int(status))
    if status == proposal.status:
        return proposal
    if status not in MANUAL_STATUSES:
        raise ValidationError(f"{status.label} is set by sending the proposal.")
    old = proposal.get_status_display()
    _transition(actor, proposal, getattr(proposal, MANUAL_STATUSES[status]))
    if status == Status.DECLINED:
        proposal.decline_reason = reason
    proposal.save()
    log(actor, proposal, "proposal.status_changed", f"status changed from {old} to "
                                                    f"{status.label}",
        {"status": [old, status.label], **({"decline_reason": [None, reason]} if reason
                                           else {})})
    if status == Status.ACCEPTED:
        transaction.on_commit(lambda: proposal_accepted.send(
            sender=Proposal, proposal=proposal, actor=actor, via_portal=False,
            auto_convert=False))
    elif status == Status.DECLINED:
        transaction.on_commit(lambda: proposal_declined.send(
            sender=Proposal, proposal=proposal, actor=actor, via_portal=False))
    return proposal


@transaction.atomic
def proposal_extend(*, actor, proposal, open_till):
    proposal = proposal_for_change(actor, proposal)
    if proposal.status in Proposal.CLOSED:
        raise ValidationError("An accepted or declined proposal is closed.")
    if open_till < timezone.localdate():
        raise ValidationError({"open_till": "The new date must be today or later."})
    changes = apply_changes(proposal, {"open_till": open_till}, ["open_till"])
    proposal.save(update_fields=["open_till", "updated_at"])
    log(actor, proposal, "proposal.extended", f"open till {open_till:%d.%m.%Y}", changes)
    return proposal


@transaction.atomic
def proposal_mark_lost(*, actor, proposal, reason, note=""):
    """An expired proposal the client will not take: declined, and its lead or opportunity
    marked lost with the reason."""
    proposal = proposal_change_status(actor=actor, proposal=proposal, status=Status.DECLINED,
                                      reason=note or (str(reason) if reason else ""))
    if proposal.lead is not None and proposal.lead.is_active:
        lead_mark_lost(actor=actor, lead=proposal.lead, reason=reason,
                       note=note or f"Proposal {proposal.number} not accepted")
    return proposal


@transaction.atomic
def proposal_reply(*, actor, proposal, body):
    """A staff reply in the proposal's thread; the client sees it in the portal."""
    proposal = proposal_for_change(actor, proposal)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the reply."})
    comment = ProposalComment.objects.create(
        proposal=proposal, author=actor, author_name=actor.get_full_name() or actor.username,
        body=body)
    log(actor, proposal, "proposal.replied", "replied to the client")
    return comment


@transaction.atomic
def proposal_delete(*, actor, proposal):
    proposal = proposal_for_change(actor, proposal, "sales.delete_proposal")
    if proposal.status == Status.ACCEPTED:
        raise ValidationError("An accepted proposal is part of the sales trail and is kept.")
    log(actor, proposal, "proposal.deleted", "deleted")
    attachments_delete_for([proposal])
    proposal.delete()
