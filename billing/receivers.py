"""Billing's reactions to the sales app's events."""


from django.core.exceptions import ValidationError
from django.dispatch import receiver

from crmconnect.activity.services import notify
from sales.events import proposal_accepted

from .models import BillingSettings
from .services.invoices import invoice_from_proposal, invoice_issue, invoice_send


@receiver(proposal_accepted, dispatch_uid="billing.invoice_on_portal_accept")
def invoice_on_portal_accept(sender, proposal, via_portal=False, auto_convert=False, **kwargs):
    """estimate_auto_convert_to_invoice_on_client_accept: the client's accept in the portal
    makes the draft invoice and, if Billing configuration says so, issues and sends it. What
    cannot be done (a proposal already converted, missing tax data, no email) is left to the
    agent, who is told why; the client's accept stands either way."""
    if not (via_portal and auto_convert):
        return
    try:
        invoice = invoice_from_proposal(actor=None, proposal=proposal)
    except ValidationError as exc:
        notify(recipient=proposal.assigned_to, url=proposal.get_absolute_url(),
               message=f"Proposal {proposal.number} was accepted online but no invoice was "
                       f"made: {' '.join(exc.messages)}")
        return
    if not BillingSettings.load().send_auto_converted:
        notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
               message=f"Proposal {proposal.number} was accepted online: draft invoice "
                       f"{invoice.number} is ready to issue.")
        return
    try:
        invoice = invoice_issue(actor=None, invoice=invoice)
        invoice_send(actor=None, invoice=invoice)
    except ValidationError as exc:
        notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
               message=f"Invoice {invoice.number} was made from proposal {proposal.number} "
                       f"but not sent: {' '.join(exc.messages)}")
