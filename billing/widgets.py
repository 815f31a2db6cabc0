"""The invoice parts of other pages (registered in navigation.py): the dashboard's overdue
invoices, the client's Invoices tab and "Convert to Invoice" on proposals and sales orders."""

from django.urls import reverse

from sales.models import Proposal, SalesOrder
from sales.queries import proposal_order
from sales.queries_contracts import proposal_contract

from . import queries

ADD = "billing.add_invoice"


def overdue_invoices_context(request):
    totals, rows = queries.overdue_invoices(request.user)
    return {"overdue_totals": totals, "overdue_invoices": rows,
            "overdue_url": reverse("billing:invoice_list") + "?status=4"}


def client_invoices_context(request, client):
    rows, balances = queries.client_invoices(request.user, client)
    return {"client_invoices": rows, "client_balances": balances}


def proposal_invoice_action_context(request, proposal):
    """"Convert to Invoice" on an accepted proposal that has no invoice and no sales order
    (an order is invoiced instead), or the invoice made from it. With a contract, the
    confirmation reminds that the audit trail wants the order in between."""
    invoice, may_open = queries.source_invoice(request.user, proposal=proposal)
    can_convert = (invoice is None and proposal.status == Proposal.Status.ACCEPTED
                   and proposal.client_id is not None and request.user.has_perm(ADD)
                   and proposal_order(proposal) is None)
    return {"proposal": proposal, "source_invoice": invoice, "may_open_invoice": may_open,
            "can_convert": can_convert,
            "has_contract": can_convert and proposal_contract(proposal) is not None}


def order_invoice_action_context(request, order):
    """"Convert to Invoice" on a confirmed sales order, or the invoice made from it."""
    invoice, may_open = queries.source_invoice(request.user, sales_order=order)
    return {"order": order, "source_invoice": invoice, "may_open_invoice": may_open,
            "can_convert": (invoice is None and order.status == SalesOrder.Status.CONFIRMED
                            and request.user.has_perm(ADD))}
