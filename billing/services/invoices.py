"""Invoices: made from an accepted proposal or a confirmed order (lines copied, links kept
both ways) or directly; edited while drafts; issued (the series number is taken and the
parties frozen); sent; cancelled while nothing is paid; marked overdue by the nightly job."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.services import activity_record, apply_changes, notify
from crmconnect.clients.models import Client
from crmconnect.company.mail import mail_configured
from crmconnect.company.models import CompanySettings
from crmconnect.core.portal import new_token
from sales.models import Proposal, SalesOrder
from sales.services.access import for_change, require, transition
from sales.services.lines import line_values, lines_replace
from sales.services.orders import log as order_log
from sales.services.proposals import log as proposal_log

from ..events import (
    invoice_cancelled,
    invoice_created,
    invoice_issued,
    invoice_overdue,
    invoice_sent,
)
from ..models import BillingSettings, Invoice, PaymentMode, Series
from .numbering import default_series, number_take

FIELDS = ["client", "contact", "currency", "exchange_rate", "date", "due_date", "assigned_to",
          "discount_percent", "document_vat_rate", "terms", "payment_terms", "notes", "series"]
COPIED = ["client", "contact", "currency", "exchange_rate", "assigned_to", "discount_percent",
          "terms", "notes"]


class MissingTaxData(ValidationError):
    """The client's record lacks what an invoice must show; `client` says whose."""

    def __init__(self, client, problems):
        super().__init__(f"{client} is missing {', '.join(problems)}: complete the client "
                         f"record before issuing the invoice.")
        self.client = client


def log(actor, invoice, event, description, changes=None):
    activity_record(actor=actor, event=event, record=invoice, client=invoice.client,
                    description=f"Invoice {invoice.number}: {description}", changes=changes)


def portal_url(token):
    return settings.SITE_URL + reverse("invoice_portal:invoice", args=[token])


def invoice_for_change(actor, invoice, permission="billing.change_invoice"):
    """The invoice locked; for a staff actor, only with `permission` and in scope (None is the
    system: the portal, the gateway, a scheduled job)."""
    if actor is None:
        return Invoice.objects.select_for_update().get(pk=invoice.pk)
    return for_change(Invoice, actor, invoice, permission)


def _address_problems(party):
    problems = []
    if not party.street or not party.city:
        problems.append("the street and city of the registered address")
    if party.country == "RO" and not party.county:
        problems.append("the county")
    return problems


def tax_data_problems(client):
    """What the client's record lacks for a Romanian invoice (CUI, address, VAT regime)."""
    problems = []
    if client.kind == Client.Kind.COMPANY and not client.cui:
        problems.append("the CUI/CIF")
    problems += _address_problems(client)
    if client.kind == Client.Kind.COMPANY and not client.vat_regime:
        problems.append("the VAT regime")
    return problems


def company_problems(company):
    """What the issuing company's own record lacks for an invoice."""
    problems = [name for name, value in (("the legal name", company.legal_name),
                                         ("the CUI/CIF", company.cui)) if not value]
    return problems + _address_problems(company)


def parties_now(invoice):
    company, client = CompanySettings.load(), invoice.client
    seller = {"name": company.legal_name, "cui": company.cui, "reg_com": company.reg_com,
              "address_lines": company.address_lines, "bank_name": company.bank_name,
              "iban": company.iban, "email": company.email, "phone": company.phone,
              "vat_payer": company.vat_payer}
    buyer = {"name": client.name, "cui": client.cui, "reg_com": client.reg_com,
             "address_lines": client.address_lines, "bank_name": client.bank_name,
             "iban": client.iban, "email": client.email,
             "vat_regime": client.get_vat_regime_display(), "country": client.country}
    return seller, buyer


def _check_parties(actor, values):
    client, contact = values.get("client"), values.get("contact")
    if client is None:
        raise ValidationError({"client": "Choose the client."})
    if actor is not None and not Client.objects.visible_to(actor).filter(pk=client.pk).exists():
        raise ValidationError({"client": "You cannot invoice this client here."})
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError({"contact": "The contact must be one of the client's."})


def _check_dates(invoice):
    if invoice.due_date < invoice.date:
        raise ValidationError({"due_date": "The due date cannot be before the invoice date."})


def _write_lines(invoice, lines):
    """Store the lines; with one VAT rate for the document, every line gets that rate."""
    if invoice.document_vat_rate is not None:
        lines = [{**line, "vat_rate": invoice.document_vat_rate} for line in lines]
    return lines_replace(invoice, lines)


def _apply_defaults(invoice):
    config = BillingSettings.load()
    if invoice.due_date is None:
        invoice.due_date = invoice.date + timedelta(days=config.due_days)
    if not invoice.payment_terms:
        invoice.payment_terms = config.payment_terms
    if invoice.series_id is None:
        invoice.series = Series.objects.filter(document_type=Series.DocumentType.INVOICE,
                                               is_default=True, active=True).first()


def _created(actor, invoice, lines, description, payment_modes=None):
    _apply_defaults(invoice)
    _check_dates(invoice)
    invoice.full_clean(exclude=["status", "sequence"])
    invoice.save()
    _write_lines(invoice, lines)
    invoice.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])
    invoice.payment_modes.set(payment_modes if payment_modes is not None
                              else PaymentMode.objects.filter(active=True, is_default=True))
    log(actor, invoice, "invoice.created", f"{description} ({invoice.total} {invoice.currency})")
    transaction.on_commit(lambda: invoice_created.send(sender=Invoice, invoice=invoice,
                                                       actor=actor))
    return invoice


@transaction.atomic
def invoice_create(*, actor, lines, payment_modes=None, **values):
    """An invoice entered directly ("Add Invoice")."""
    require(actor, "billing.add_invoice")
    _check_parties(actor, values)
    values["assigned_to"] = values.get("assigned_to") or actor
    invoice = Invoice(created_by=actor)
    apply_changes(invoice, values, FIELDS)
    return _created(actor, invoice, lines, f"created for {invoice.client}", payment_modes)


def _source_document(actor, model, record):
    if actor is None:
        return model.objects.select_for_update().get(pk=record.pk)
    permission = f"sales.view_{model._meta.model_name}"
    return for_change(model, actor, record, permission)


@transaction.atomic
def invoice_from_proposal(*, actor, proposal):
    """Convert an accepted proposal (actor None: the client's accept in the portal with
    automatic conversion on)."""
    require(actor, "billing.add_invoice")
    proposal = _source_document(actor, Proposal, proposal)
    if proposal.status != Proposal.Status.ACCEPTED:
        raise ValidationError("Only an accepted proposal converts to an invoice.")
    existing = Invoice.objects.filter(proposal=proposal).first()
    if existing is not None:
        raise ValidationError(f"This proposal is already invoice {existing.number}.")
    order = SalesOrder.objects.filter(proposal=proposal).first()
    if order is not None:
        raise ValidationError(f"This proposal became sales order {order.number}: invoice the "
                              f"order, so the trail stays proposal → order → invoice.")
    if proposal.client_id is None:
        raise ValidationError("The proposal is for a lead: convert the lead to a client first, "
                              "then set the client on the proposal.")
    invoice = Invoice(proposal=proposal, created_by=actor,
                      **{name: getattr(proposal, name) for name in COPIED})
    _created(actor, invoice, line_values(proposal.lines.all()),
             f"created from proposal {proposal.number}")
    proposal_log(actor, proposal, "proposal.invoiced", f"converted to invoice {invoice.number}")
    return invoice


@transaction.atomic
def invoice_from_order(*, actor, order):
    """Invoice a confirmed order; the order becomes Invoiced and the invoice also links the
    proposal the order came from."""
    require(actor, "billing.add_invoice")
    order = _source_document(actor, SalesOrder, order)
    existing = Invoice.objects.filter(sales_order=order).first()
    if existing is not None:
        raise ValidationError(f"This order is already invoice {existing.number}.")
    transition(None, order, order.mark_invoiced, "sales order")
    order.save()
    proposal = order.proposal
    if proposal is not None and Invoice.objects.filter(proposal=proposal).exists():
        proposal = None
    invoice = Invoice(sales_order=order, proposal=proposal, created_by=actor,
                      **{name: getattr(order, name) for name in COPIED})
    _created(actor, invoice, line_values(order.lines.all()),
             f"created from sales order {order.number}")
    order_log(actor, order, "salesorder.invoiced", f"invoiced as {invoice.number}",
              {"status": ["Confirmed", "Invoiced"]})
    return invoice


def _draft_for_change(actor, invoice, permission="billing.change_invoice"):
    invoice = invoice_for_change(actor, invoice, permission)
    if not invoice.is_draft:
        raise ValidationError(f"Invoice {invoice.number} is issued: it cannot be changed. "
                              "Corrections are made with a credit note.")
    return invoice


@transaction.atomic
def invoice_update(*, actor, invoice, lines, payment_modes=None, **values):
    invoice = _draft_for_change(actor, invoice)
    _check_parties(actor, {"client": invoice.client, "contact": invoice.contact, **values})
    before = invoice.total
    changes = apply_changes(invoice, values, FIELDS)
    _check_dates(invoice)
    invoice.full_clean(exclude=["status", "sequence"])
    _write_lines(invoice, lines)
    if invoice.total != before:
        changes["total"] = [str(before), str(invoice.total)]
    invoice.save()
    if payment_modes is not None:
        invoice.payment_modes.set(payment_modes)
    log(actor, invoice, "invoice.updated", "updated", changes)
    return invoice


@transaction.atomic
def invoice_delete(*, actor, invoice):
    """Only a draft can be deleted; its order becomes invoiceable again."""
    invoice = _draft_for_change(actor, invoice, "billing.delete_invoice")
    number, client = invoice.number, invoice.client
    order = invoice.sales_order
    if order is not None:
        order = SalesOrder.objects.select_for_update().get(pk=order.pk)
        transition(None, order, order.reopen_invoicing, "sales order")
        order.save()
        order_log(actor, order, "salesorder.invoice_deleted",
                  f"draft invoice {number} deleted", {"status": ["Invoiced", "Confirmed"]})
    invoice.delete()
    activity_record(actor=actor, event="invoice.deleted", client=client,
                    description=f"Draft invoice {number} deleted")


@transaction.atomic
def invoice_issue(*, actor, invoice):
    """Take the next number of the invoice's series and freeze the parties. Refused while the
    client's tax data is incomplete (MissingTaxData names the client)."""
    invoice = _draft_for_change(actor, invoice, "billing.issue_invoice")
    if invoice.total <= 0:
        raise ValidationError("An invoice needs a total above zero to be issued.")
    problems = company_problems(CompanySettings.load())
    if problems:
        raise ValidationError(f"The company's own record is missing {', '.join(problems)}: "
                              "complete it in Settings → Company before issuing invoices.")
    problems = tax_data_problems(invoice.client)
    if problems:
        raise MissingTaxData(invoice.client, problems)
    series = invoice.series or default_series(Series.DocumentType.INVOICE)
    if series.document_type != Series.DocumentType.INVOICE:
        raise ValidationError("Choose an invoice series.")
    draft_number = invoice.number
    invoice.sequence, invoice.full_number, invoice.series = number_take(series)
    invoice.seller, invoice.buyer = parties_now(invoice)
    transition(actor, invoice, invoice.issue, "invoice")
    invoice.settle()
    invoice.save()
    log(actor, invoice, "invoice.issued", f"issued from {draft_number}",
        {"status": ["Draft", invoice.get_status_display()], "number": ["", invoice.number]})
    transaction.on_commit(lambda: invoice_issued.send(sender=Invoice, invoice=invoice,
                                                      actor=actor))
    return invoice


def recipient_email(invoice):
    contact = invoice.contact
    return (contact.email if contact and contact.email else "") or invoice.client.email


def _issued_for_sending(actor, invoice):
    invoice = invoice_for_change(actor, invoice, "billing.send_invoice")
    if invoice.is_draft:
        raise ValidationError("Issue the invoice first: a draft has no number to send.")
    if invoice.status == Invoice.Status.CANCELLED:
        raise ValidationError("A cancelled invoice is not sent.")
    return invoice


def _new_link(invoice):
    token, invoice.token_hash = new_token()
    return portal_url(token)


@transaction.atomic
def invoice_send(*, actor, invoice):
    """Email the PDF and a fresh portal link (earlier links stop working). Returns the link;
    the email goes out from a background job once this transaction commits."""
    from ..tasks import send_invoice_email

    invoice = _issued_for_sending(actor, invoice)
    to = recipient_email(invoice)
    if not to:
        raise ValidationError(f"{invoice.client} has no email address: add one to the client "
                              "or choose a contact with an email, then send again.")
    if not mail_configured():
        raise ValidationError("Email is not set up: fill in the SMTP server in Settings → "
                              "Company (Email), then send again.")
    link = _new_link(invoice)
    first = not invoice.sent
    invoice.sent, invoice.sent_at = True, timezone.now()
    invoice.save(update_fields=["sent", "sent_at", "token_hash", "updated_at"])
    log(actor, invoice, "invoice.sent", f"sent to {to}",
        {"sent": ["Not Sent", "Sent"]} if first else None)
    notify(recipient=invoice.assigned_to, actor=actor, url=invoice.get_absolute_url(),
           message=f"Invoice {invoice.number} was sent to {invoice.client}.")
    transaction.on_commit(lambda: send_invoice_email.delay(invoice.pk, link, to))
    transaction.on_commit(lambda: invoice_sent.send(sender=Invoice, invoice=invoice,
                                                    actor=actor, by_email=True))
    return link


@transaction.atomic
def invoice_mark_sent(*, actor, invoice):
    """The invoice went to the client another way (handed over, the client's own portal)."""
    invoice = _issued_for_sending(actor, invoice)
    if invoice.sent:
        raise ValidationError("The invoice is already marked as sent.")
    invoice.sent, invoice.sent_at = True, timezone.now()
    invoice.save(update_fields=["sent", "sent_at", "updated_at"])
    log(actor, invoice, "invoice.marked_sent", "marked as sent", {"sent": ["Not Sent", "Sent"]})
    transaction.on_commit(lambda: invoice_sent.send(sender=Invoice, invoice=invoice,
                                                    actor=actor, by_email=False))
    return invoice


@transaction.atomic
def invoice_regenerate_link(*, actor, invoice):
    """A new portal link; the old one stops working."""
    invoice = _issued_for_sending(actor, invoice)
    link = _new_link(invoice)
    invoice.save(update_fields=["token_hash", "updated_at"])
    log(actor, invoice, "invoice.link", "new client link made (the old one no longer works)")
    return link


@transaction.atomic
def invoice_cancel(*, actor, invoice, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the invoice is cancelled."})
    invoice = invoice_for_change(actor, invoice, "billing.cancel_invoice")
    if not invoice.has_no_payments():
        raise ValidationError("The invoice has payments: it cannot be cancelled. Void the "
                              "payments first, or issue a credit note.")
    old = invoice.get_status_display()
    transition(actor, invoice, invoice.cancel, "invoice")
    invoice.cancel_reason = reason
    invoice.save()
    log(actor, invoice, "invoice.cancelled", f"cancelled: {reason}",
        {"status": [old, "Cancelled"]})
    transaction.on_commit(lambda: invoice_cancelled.send(sender=Invoice, invoice=invoice,
                                                         actor=actor))
    return invoice


def invoice_auto_convert(*, proposal):
    """The client accepted `proposal` online with automatic conversion on: make the draft
    invoice and, if Billing configuration says so, issue and send it. What cannot be done (a
    proposal already converted, missing tax data, no email) is left to the agent, who is told
    why; the client's accept stands either way. A second run changes nothing."""
    if Invoice.objects.filter(proposal=proposal).exists():
        return None
    try:
        invoice = invoice_from_proposal(actor=None, proposal=proposal)
    except ValidationError as exc:
        notify(recipient=proposal.assigned_to, url=proposal.get_absolute_url(),
               message=f"Proposal {proposal.number} was accepted online but no invoice was "
                       f"made: {' '.join(exc.messages)}")
        return None
    if not BillingSettings.load().send_auto_converted:
        notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
               message=f"Proposal {proposal.number} was accepted online: draft invoice "
                       f"{invoice.number} is ready to issue.")
        return invoice
    try:
        invoice = invoice_issue(actor=None, invoice=invoice)
        invoice_send(actor=None, invoice=invoice)
    except ValidationError as exc:
        notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
               message=f"Invoice {invoice.number} was made from proposal {proposal.number} "
                       f"but not sent: {' '.join(exc.messages)}")
    return invoice


def invoices_mark_overdue(today=None):
    """The nightly job: Unpaid invoices past their due date become Overdue (4). Each invoice
    is its own transaction and rows another worker holds are skipped, so runs may overlap and
    a second run changes nothing. Returns how many changed."""
    today = today or timezone.localdate()
    changed = 0
    due = (Invoice.objects.filter(status=Invoice.Status.UNPAID, due_date__lt=today)
           .values_list("pk", flat=True))
    for pk in list(due):
        with transaction.atomic():
            invoice = (Invoice.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, status=Invoice.Status.UNPAID).first())
            if invoice is None:
                continue
            invoice.settle(today)
            invoice.save(update_fields=["status", "updated_at"])
            log(None, invoice, "invoice.overdue", f"overdue since {invoice.due_date}",
                {"status": ["Unpaid", "Overdue"]})
            transaction.on_commit(lambda invoice=invoice: invoice_overdue.send(
                sender=Invoice, invoice=invoice))
            changed += 1
    return changed
