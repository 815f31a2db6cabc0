"""Sales orders: made from an accepted proposal (header and lines copied, link kept both
ways) or directly, e.g. repeating an earlier order at today's prices; confirmed, cancelled,
and marked invoiced by the invoicing module."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes
from crmconnect.clients.models import Client

from ..events import sales_order_cancelled, sales_order_confirmed, sales_order_created
from ..models import Proposal, SalesOrder
from ..pricing import quote
from .access import for_change, transition
from .lines import line_values, lines_replace
from .proposals import log as proposal_log
from .proposals import proposal_for_change

COPIED = ["client", "contact", "currency", "exchange_rate", "assigned_to", "discount_percent",
          "terms", "notes"]
FIELDS = ["client", "contact", "currency", "exchange_rate", "date", "assigned_to",
          "discount_percent", "terms", "notes", "client_reference", "awaiting_warehouse"]


def log(actor, order, event, description, changes=None):
    activity_record(actor=actor, event=event, record=order, client=order.client,
                    description=f"Sales order {order.number}: {description}", changes=changes)


def order_for_change(actor, order, permission="sales.change_salesorder"):
    return for_change(SalesOrder, actor, order, permission)


def _check_client(actor, values):
    client, contact = values.get("client"), values.get("contact")
    if client is None:
        raise ValidationError({"client": "Choose the client."})
    if not Client.objects.visible_to(actor).filter(pk=client.pk).exists():
        raise ValidationError({"client": "You cannot sell to this client here."})
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError({"contact": "The contact must be one of the client's."})


def _created(actor, order, lines, description):
    order.save()
    lines_replace(order, lines)
    order.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])
    log(actor, order, "salesorder.created", f"{description} ({order.total} {order.currency})")
    transaction.on_commit(lambda: sales_order_created.send(sender=SalesOrder, order=order,
                                                           actor=actor))
    return order


@transaction.atomic
def sales_order_create(*, actor, lines, **values):
    """An order entered directly (a repeat order: see `repeat_lines`)."""
    if not actor.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    _check_client(actor, values)
    values["assigned_to"] = values.get("assigned_to") or actor
    order = SalesOrder(created_by=actor)
    apply_changes(order, values, FIELDS)
    order.full_clean(exclude=["status"])
    return _created(actor, order, lines, f"created for {order.client}")


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
    _created(actor, order, line_values(proposal.lines.all()),
             f"created from proposal {proposal.number}")
    proposal_log(actor, proposal, "proposal.converted", f"converted to sales order {order.number}")
    return order


@transaction.atomic
def sales_order_update(*, actor, order, lines, **values):
    order = order_for_change(actor, order)
    if not order.is_editable:
        raise ValidationError(f"A {order.get_status_display().lower()} order cannot be edited.")
    _check_client(actor, {"client": order.client, "contact": order.contact, **values})
    before = order.total
    changes = apply_changes(order, values, FIELDS)
    order.full_clean(exclude=["status"])
    lines_replace(order, lines)
    if order.total != before:
        changes["total"] = [str(before), str(order.total)]
    order.save()
    log(actor, order, "salesorder.updated", "updated", changes)
    return order


@transaction.atomic
def sales_order_confirm(*, actor, order):
    order = order_for_change(actor, order, "sales.confirm_salesorder")
    transition(actor, order, order.confirm, "sales order")
    order.save()
    log(actor, order, "salesorder.confirmed", "confirmed", {"status": ["New", "Confirmed"]})
    transaction.on_commit(lambda: sales_order_confirmed.send(sender=SalesOrder, order=order,
                                                             actor=actor))
    return order


@transaction.atomic
def sales_order_cancel(*, actor, order, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the order is cancelled."})
    order = order_for_change(actor, order, "sales.confirm_salesorder")
    old = order.get_status_display()
    transition(actor, order, order.cancel, "sales order")
    order.cancel_reason = reason
    order.save()
    log(actor, order, "salesorder.cancelled", f"cancelled: {reason}",
        {"status": [old, "Cancelled"]})
    transaction.on_commit(lambda: sales_order_cancelled.send(sender=SalesOrder, order=order,
                                                             actor=actor))
    return order


@transaction.atomic
def sales_order_set_warehouse(*, actor, order, awaiting):
    """The warehouse flag can change until the order is invoiced or cancelled."""
    order = order_for_change(actor, order)
    if order.status in (SalesOrder.Status.INVOICED, SalesOrder.Status.CANCELLED):
        raise ValidationError("The order is closed.")
    changes = apply_changes(order, {"awaiting_warehouse": awaiting}, ["awaiting_warehouse"])
    if changes:
        order.save(update_fields=["awaiting_warehouse", "updated_at"])
        log(actor, order, "salesorder.warehouse",
            "awaiting warehouse confirmation" if awaiting else "warehouse confirmed", changes)
    return order


def repeat_lines(order, client):
    """The lines of an earlier order for a new one: same items and quantities at the client's
    prices of today (lines without an item keep their price)."""
    lines = []
    for values in line_values(order.lines.select_related("item")):
        item = values["item"]
        if item is not None and item.active:
            price = quote(item=item, client=client, quantity=values["quantity"],
                          currency=order.currency)
            values.update(unit_price=price.unit_price, discount_percent=price.discount_percent,
                          price_source=price.source, vat_rate=item.vat_rate.rate,
                          vat_category=item.vat_rate.category)
        lines.append(values)
    return lines
