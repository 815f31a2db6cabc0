"""Billing's reactions to the sales app's events."""

from django.dispatch import receiver

from sales.events import proposal_accepted

from .tasks import convert_accepted_proposal


@receiver(proposal_accepted, dispatch_uid="billing.invoice_on_portal_accept")
def invoice_on_portal_accept(sender, proposal, via_portal=False, auto_convert=False, **kwargs):
    """estimate_auto_convert_to_invoice_on_client_accept: the client's accept in the portal
    makes the invoice in a background job (billing.services.invoices.invoice_auto_convert),
    so the client's page never waits for it or fails with it."""
    if via_portal and auto_convert:
        convert_accepted_proposal.delay(proposal.pk)
