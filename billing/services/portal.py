"""What the client does through the invoice's portal link. There is no acting user: each
action is logged with the client's address (shown as "Client (online)")."""

from django.db import transaction
from django.utils import timezone

from crmconnect.activity.services import activity_record, notify

from ..models import Invoice


def portal_log(invoice, event, description, ip):
    activity_record(actor=None, event=event, record=invoice, client=invoice.client,
                    description=f"Invoice {invoice.number}: {description}",
                    ip_address=ip or None)


def invoice_portal_open(*, invoice, ip):
    """The client opened the link for the first time: noted and the agent told. Opening
    again changes nothing (and locks nothing)."""
    if invoice.viewed_at is not None:
        return invoice
    with transaction.atomic():
        return _first_open(invoice, ip)


def _first_open(invoice, ip):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.viewed_at is not None:  # opened at the same moment in another tab
        return invoice
    invoice.viewed_at = timezone.now()
    invoice.save(update_fields=["viewed_at", "updated_at"])
    portal_log(invoice, "invoice.viewed", "opened by the client", ip)
    notify(recipient=invoice.assigned_to, url=invoice.get_absolute_url(),
           message=f"{invoice.client} opened invoice {invoice.number}.")
    return invoice
