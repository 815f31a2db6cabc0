"""Sales orders. Converting an accepted proposal copies its header and lines and keeps the
link (`order.proposal`, `proposal.sales_order`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crmconnect.activity.services import activity_record

from ..events import sales_order_created
from ..models import Proposal, SalesOrder
from .lines import line_values, lines_replace
from .proposals import log, proposal_for_change

COPIED = ["client", "contact", "currency", "exchange_rate", "assigned_to", "discount_percent",
          "terms", "notes"]


@transaction.atomic
def sales_order_from_proposal(*, actor, proposal):
    if not actor.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    proposal = proposal_for_change(actor, proposal, "sales.view_proposal")
    if proposal.status != Proposal.Status.ACCEPTED:
        raise ValidationError("Only an accepted proposal converts to a sales order.")
    existing = SalesOrder.objects.filter(proposal=proposal).first()
    if existing is not None:
        raise ValidationError(f"This proposal is already sales order {existing.number}.")
    if proposal.client_id is None:
        raise ValidationError("The proposal is for a lead: convert the lead to a client first, "
                              "then set the client on the proposal.")
    order = SalesOrder(proposal=proposal, created_by=actor,
                       **{name: getattr(proposal, name) for name in COPIED})
    order.save()
    lines_replace(order, line_values(proposal.lines.all()))
    order.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])
    activity_record(actor=actor, event="salesorder.created", record=order, client=order.client,
                    description=f"Sales order {order.number} created from proposal "
                                f"{proposal.number}")
    log(actor, proposal, "proposal.converted", f"converted to sales order {order.number}")
    transaction.on_commit(lambda: sales_order_created.send(sender=SalesOrder, order=order,
                                                           actor=actor))
    return order
