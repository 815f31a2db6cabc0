"""Contracts: made from an accepted proposal or directly, signed online through a link or
recorded as signed on paper, frozen once signed (changes are amendments or new versions),
renewed through a renewal proposal, expired by the daily check."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks

from crmconnect.activity.attachments import attachment_add, attachments_delete_for
from crmconnect.activity.services import activity_record, apply_changes, notify, task_create
from crmconnect.clients.models import Client
from crmconnect.core.portal import new_token
from crmconnect.core.richtext import clean_html

from ..events import contract_created, contract_expired, contract_signed
from ..models import Contract, ContractReminder, ContractStatus, Proposal, SalesOrder
from .access import for_change
from .lines import line_values, lines_replace
from .orders import repeat_lines
from .portal import clean_signature
from .proposals import log as proposal_log
from .proposals import proposal_create, proposal_for_change

FIELDS = ["subject", "client", "contact", "contract_type", "value", "currency", "exchange_rate",
          "date", "start_date", "end_date", "renewal_terms", "content", "terms", "notes",
          "assigned_to", "discount_percent", "sales_order"]
Kind = ContractStatus.Kind
SIGNED_REFUSAL = ("A signed contract cannot be edited: create an amendment or a new version "
                  "instead.")
RENEWAL_DAYS, REMINDER_DAYS = 60, 30


def log(actor, contract, event, description, changes=None, ip_address=None):
    activity_record(actor=actor, event=event, record=contract, client=contract.client,
                    description=f"Contract {contract.number}: {description}", changes=changes,
                    ip_address=ip_address)


def contract_for_change(actor, contract, permission="sales.change_contract"):
    return for_change(Contract, actor, contract, permission)


def portal_url(token):
    return settings.SITE_URL + reverse("portal:contract", args=[token])


def _check_parties(actor, values):
    client, contact = values.get("client"), values.get("contact")
    if client is None:
        raise ValidationError({"client": "Choose the client."})
    if not Client.objects.visible_to(actor).filter(pk=client.pk).exists():
        raise ValidationError({"client": "You cannot make contracts for this client."})
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError({"contact": "The contact must be one of the client's."})


def _save_new(actor, contract, lines, description):
    contract.full_clean()
    contract.save()
    if lines:
        lines_replace(contract, lines)
        contract.value = contract.total
        contract.save(update_fields=["subtotal", "discount_total", "vat_total", "total",
                                     "value"])
    log(actor, contract, "contract.created", description)
    transaction.on_commit(lambda: contract_created.send(sender=Contract, contract=contract,
                                                        actor=actor))
    return contract


@transaction.atomic
def contract_create(*, actor, lines=(), **values):
    """A contract made independently. With lines, its value is their total."""
    if not actor.has_perm("sales.add_contract"):
        raise PermissionDenied
    _check_parties(actor, values)
    values["content"] = clean_html(values.get("content", ""))
    values["assigned_to"] = values.get("assigned_to") or actor
    contract = Contract(created_by=actor, status=ContractStatus.first_of(Kind.DRAFT))
    apply_changes(contract, values, FIELDS)
    return _save_new(actor, contract, list(lines), f"created for {contract.client}")


def _one_year_from(start):
    """The last day of a one-year term starting on `start`."""
    try:
        return start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


@transaction.atomic
def contract_from_proposal(*, actor, proposal, start_date=None):
    """"Create Contract" on an accepted proposal: client, value, lines and terms copied; one
    year from `start_date` (today) as a first draft the manager adjusts."""
    if not actor.has_perm("sales.add_contract"):
        raise PermissionDenied
    proposal = proposal_for_change(actor, proposal, "sales.view_proposal")
    if proposal.status != Proposal.Status.ACCEPTED:
        raise ValidationError("Only an accepted proposal becomes a contract.")
    existing = Contract.objects.filter(proposal=proposal).first()
    if existing is not None:
        raise ValidationError(f"This proposal already has contract {existing.number}.")
    if proposal.client_id is None:
        raise ValidationError("The proposal is for a lead: convert the lead to a client first.")
    start = start_date or timezone.localdate()
    contract = Contract(
        created_by=actor, status=ContractStatus.first_of(Kind.DRAFT), proposal=proposal,
        sales_order=SalesOrder.objects.filter(proposal=proposal).first(),
        subject=proposal.subject, start_date=start, end_date=_one_year_from(start),
        content=proposal.content,
        **{name: getattr(proposal, name) for name in (
            "client", "contact", "currency", "exchange_rate", "assigned_to",
            "discount_percent", "terms", "notes")})
    _save_new(actor, contract, line_values(proposal.lines.all()),
              f"created from proposal {proposal.number}")
    proposal_log(actor, proposal, "proposal.contract_created",
                 f"contract {contract.number} created")
    return contract


@transaction.atomic
def contract_update(*, actor, contract, lines=None, **values):
    contract = contract_for_change(actor, contract)
    if contract.is_signed:
        raise ValidationError(SIGNED_REFUSAL)
    _check_parties(actor, {"client": contract.client, "contact": contract.contact, **values})
    if "content" in values:
        values["content"] = clean_html(values["content"])
    changes = apply_changes(contract, values, FIELDS)
    if lines is not None:
        before = contract.total
        if lines:
            lines_replace(contract, lines)
            contract.value = contract.total
        else:
            contract.lines.all().delete()
            contract.store_totals(contract.totals())
        if contract.total != before:
            changes["total"] = [str(before), str(contract.total)]
    contract.full_clean()
    contract.save()
    log(actor, contract, "contract.updated", "updated", changes)
    return contract


@transaction.atomic
def contract_change_status(*, actor, contract, status):
    """A status chosen by hand (terminated early, reactivated). Signing and expiry set theirs
    automatically."""
    contract = contract_for_change(actor, contract)
    if status.pk == contract.status_id:
        return contract
    if status.kind == Kind.ACTIVE and not contract.is_signed:
        raise ValidationError("A contract becomes active when it is signed: send it for "
                              "signature or record the paper signature.")
    old = contract.status
    contract.status = status
    contract.save(update_fields=["status", "updated_at"])
    log(actor, contract, "contract.status_changed", f"status changed from {old} to {status}",
        {"status": [str(old), str(status)]})
    return contract


def _recipient_email(contract):
    """The contact's address, else the one its proposal was sent to, else the client's."""
    if contract.contact and contract.contact.email:
        return contract.contact.email
    if contract.proposal and contract.proposal.recipient_email:
        return contract.proposal.recipient_email
    return contract.client.email


@transaction.atomic
def contract_send_for_signature(*, actor, contract):
    """Email the client a fresh signing link (an earlier link stops working). Returns it."""
    from ..tasks import send_contract_email

    contract = contract_for_change(actor, contract, "sales.sign_contract")
    if contract.is_signed:
        raise ValidationError("The contract is already signed.")
    email = _recipient_email(contract)
    if not email:
        raise ValidationError("Neither the contact nor the client has an email address: add "
                              "one first.")
    token, contract.token_hash = new_token()
    contract.sent_for_signature_at = timezone.now()
    contract.save(update_fields=["token_hash", "sent_for_signature_at", "updated_at"])
    link = portal_url(token)
    log(actor, contract, "contract.sent_for_signature", f"sent for signature to {email}")
    transaction.on_commit(lambda: send_contract_email.delay(contract.pk, link, email))
    return link


def _freeze(contract):
    """Archive the signed PDF with the contract: what was signed never changes. The stored
    name is random, like an attachment's: it says nothing and cannot be guessed."""
    from ..pdf import contract_pdf

    contract.signed_pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(contract_pdf(contract)),
                             save=False)


def _activate(contract):
    """Active, with the signed PDF archived. The link stays: through it the client reads the
    signed contract and downloads the signed copy (a signed contract is never re-sent)."""
    contract.status = ContractStatus.first_of(Kind.ACTIVE)
    _freeze(contract)
    contract.save()


def sign_refusal(contract):
    """Why the client cannot sign through the link now, or None."""
    if contract.is_signed:
        return "This contract is already signed."
    if contract.status.kind != Kind.DRAFT:
        return (f"This contract is {contract.status.name.lower()} and can no longer be signed. "
                f"Contact us for an updated contract.")
    return None


@transaction.atomic
def contract_sign(*, contract, signer_name, signer_email, signature, ip):
    """The client signs through the link. Signing again changes nothing."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.is_signed:
        return contract
    refusal = sign_refusal(contract)
    if refusal:
        raise ValidationError(refusal)
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError({"signer_name": "Type your full name."})
    contract.signature = clean_signature(signature, signer_name)
    contract.signer_name, contract.signer_email = signer_name[:200], (signer_email or "")[:254]
    contract.signed_at, contract.signed_ip = timezone.now(), ip or None
    old = str(contract.status)
    _activate(contract)
    log(None, contract, "contract.signed", f"signed online by {signer_name}",
        {"status": [old, str(contract.status)]}, ip_address=ip)
    notify(recipient=contract.assigned_to, url=contract.get_absolute_url(),
           message=f"{contract.client} signed contract {contract.number}.")
    transaction.on_commit(lambda: contract_signed.send(sender=Contract, contract=contract,
                                                       actor=None))
    return contract


@transaction.atomic
def contract_mark_signed_manually(*, actor, contract, signer_name, signed_on, scan):
    """Signed on paper: the scanned copy is attached and the contract becomes active."""
    contract = contract_for_change(actor, contract, "sales.sign_contract")
    if contract.is_signed:
        raise ValidationError("The contract is already signed.")
    if scan is None:
        raise ValidationError({"scan": "Attach the scanned signed copy."})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The signing date cannot be in the future."})
    attachment_add(actor=actor, record=contract, upload=scan, client=contract.client)
    contract.signed_manually = True
    contract.signer_name = signer_name.strip()[:200]
    contract.signed_at = timezone.make_aware(datetime.datetime.combine(signed_on,
                                                                      datetime.time(12)))
    old = str(contract.status)
    _activate(contract)
    log(actor, contract, "contract.signed", f"signed on paper by {contract.signer_name}",
        {"status": [old, str(contract.status)]})
    transaction.on_commit(lambda: contract_signed.send(sender=Contract, contract=contract,
                                                       actor=actor))
    return contract


@transaction.atomic
def contract_new_revision(*, actor, contract, revision):
    """A draft amendment or new version of a contract, with its content and lines copied."""
    if not actor.has_perm("sales.add_contract"):
        raise PermissionDenied
    original = contract_for_change(actor, contract)
    revision = Contract.Revision(revision)
    if revision == Contract.Revision.ORIGINAL:
        raise ValidationError("Choose an amendment or a new version.")
    copy = Contract(
        created_by=actor, status=ContractStatus.first_of(Kind.DRAFT), previous=original,
        revision=revision, version=original.version + 1,
        subject=(f"Amendment to {original.number}: {original.subject}"
                 if revision == Contract.Revision.AMENDMENT else original.subject)[:200],
        **{name: getattr(original, name) for name in (
            "client", "contact", "contract_type", "value", "currency", "exchange_rate",
            "start_date", "end_date", "renewal_terms", "content", "terms", "notes",
            "assigned_to", "discount_percent", "proposal_id", "sales_order")})
    copy.proposal = None  # the proposal stays linked to the original
    _save_new(actor, copy, line_values(original.lines.all()),
              f"{revision.label.lower()} of {original.number}")
    log(actor, original, "contract.revised", f"{revision.label.lower()} {copy.number} created")
    return copy


@transaction.atomic
def contract_renew(*, actor, contract):
    """A renewal proposal for the contract's client: the contract's lines (or, without lines,
    the client's latest order) at today's prices, open for the default period."""
    contract = contract_for_change(actor, contract, "sales.view_contract")
    source = contract
    if not contract.lines.exists():
        source = (SalesOrder.objects.filter(client=contract.client)
                  .exclude(status=SalesOrder.Status.CANCELLED).order_by("-id").first())
    lines = repeat_lines(source, contract.client) if source is not None else []
    if not lines:
        lines = [{"item": None, "description": f"Renewal of {contract.subject}",
                  "quantity": 1, "unit": "", "unit_price": contract.value,
                  "discount_percent": 0, "vat_rate": 21, "vat_category": "S",
                  "price_source": f"Contract {contract.number} value"}]
    proposal = proposal_create(
        actor=actor, subject=f"Renewal: {contract.subject}"[:200], client=contract.client,
        contact=contract.contact, currency=contract.currency,
        exchange_rate=contract.exchange_rate, terms=contract.terms,
        content=linebreaks(contract.renewal_terms, autoescape=True),
        assigned_to=contract.assigned_to, lines=lines)
    log(actor, contract, "contract.renewal_proposed", f"renewal proposal {proposal.number}")
    return proposal


@transaction.atomic
def contract_delete(*, actor, contract):
    """Delete a contract that was never signed (a draft made by mistake), with its files."""
    contract = contract_for_change(actor, contract, "sales.delete_contract")
    if contract.is_signed:
        raise ValidationError("A signed contract is part of the client's record and is kept: "
                              "change its status to Terminated instead.")
    later = contract.revisions.order_by("pk").first()
    if later is not None:
        raise ValidationError(f"{later.number} is based on this contract: delete it first.")
    log(actor, contract, "contract.deleted", "deleted")
    attachments_delete_for([contract])
    contract.delete()


# --- the daily check --------------------------------------------------------------------

def _manager(contract):
    return contract.assigned_to or contract.client.owner


def _step(contract, step, title, description, today):
    """Create one renewal step once: the unique (contract, step) row is written first, in a
    savepoint, so a second run — or a second worker — fails on it and does nothing."""
    manager = _manager(contract)
    try:
        with transaction.atomic():
            reminder = ContractReminder.objects.create(contract=contract, step=step,
                                                       recipient=manager)
            if manager is not None:
                reminder.task = task_create(actor=None, title=title, assignee=manager,
                                            due_date=min(today + datetime.timedelta(days=7),
                                                         contract.end_date),
                                            description=description, record=contract,
                                            client=contract.client)
                reminder.save(update_fields=["task"])
    except IntegrityError:
        return False
    return True


def contracts_check(*, today=None):
    """Daily: expire ended contracts, create the renewal task 60 days before the end and the
    reminder 30 days before. Returns (expired, steps created)."""
    today = today or timezone.localdate()
    expired = 0
    ended = Contract.objects.filter(status__kind=Kind.ACTIVE, end_date__lt=today)
    for pk in list(ended.values_list("pk", flat=True)[:1000]):
        expired += _expire(pk, today)
    created = 0
    due = (Contract.objects.expiring_within(RENEWAL_DAYS, today)
           .select_related("assigned_to", "client__owner"))
    for contract in due.iterator():
        days = (contract.end_date - today).days
        created += _step(
            contract, ContractReminder.Step.RENEWAL_60, f"Contract renewal: {contract.subject}",
            f"Contract {contract.number} with {contract.client} ends on "
            f"{contract.end_date:%d.%m.%Y}. Start the renewal conversation: use Renew on the "
            f"contract to prepare the proposal.", today)
        if days <= REMINDER_DAYS and ContractReminder.objects.filter(
                contract=contract, step=ContractReminder.Step.RENEWAL_60,
                created_by_job_at__date__lt=today).exists():
            created += _step(
                contract, ContractReminder.Step.REMINDER_30,
                f"Contract ends in {days} days: {contract.subject}",
                f"Contract {contract.number} with {contract.client} ends on "
                f"{contract.end_date:%d.%m.%Y} and is not renewed yet.", today)
    return expired, created


@transaction.atomic
def _expire(pk, today):
    contract = (Contract.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__kind=Kind.ACTIVE, end_date__lt=today).first())
    if contract is None:
        return 0
    old = str(contract.status)
    contract.status = ContractStatus.first_of(Kind.EXPIRED)
    contract.save(update_fields=["status", "updated_at"])
    log(None, contract, "contract.expired", f"expired on {contract.end_date:%d.%m.%Y}",
        {"status": [old, str(contract.status)]})
    notify(recipient=_manager(contract), url=contract.get_absolute_url(),
           message=f"Contract {contract.number} with {contract.client} expired.")
    transaction.on_commit(lambda: contract_expired.send(sender=Contract, contract=contract))
    return 1
