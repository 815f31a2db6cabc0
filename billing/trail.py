"""The invoice in the trail of proposals, orders and contracts (see sales.trail)."""

from django.db.models import Q

from .models import Invoice


def invoice_entries(chain):
    links = Q(pk__in=[])
    if chain.proposal is not None:
        links |= Q(proposal=chain.proposal)
    if chain.order is not None:
        links |= Q(sales_order=chain.order)
    return [("Invoice", invoice) for invoice in Invoice.objects.filter(links).order_by("pk")]


def invoice_origin(record):
    """The sales document an invoice was made from (its order, else its proposal)."""
    if isinstance(record, Invoice):
        return record.sales_order or record.proposal
    return None
