"""Converting an accepted proposal to a sales order (sales/services/orders.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from sales import events
from sales.models import Proposal, SalesOrder

from ..factories import (
    ContactFactory,
    ItemFactory,
    LeadFactory,
    PriceListFactory,
    ProposalFactory,
    UserFactory,
    line,
)
from .conftest import with_link
from .test_services_proposals import events_of, listening

Status = Proposal.Status


@pytest.fixture
def accepted(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(discount_percent=Decimal(5),
                                                   terms="Payment in 15 days")
    with_link(proposal, Status.ACCEPTED)
    return proposal


def convert(actor, proposal):
    from sales.services.orders import sales_order_from_proposal

    return sales_order_from_proposal(actor=actor, proposal=proposal)


def test_convert_copies_the_header_and_lines_and_links_both_ways(
        agent, accepted, django_capture_on_commit_callbacks):
    with (listening(events.sales_order_created) as created,
          django_capture_on_commit_callbacks(execute=True)):
        order = convert(agent, accepted)
    assert order.number == f"SO-{order.pk:06d}" and order.status == SalesOrder.Status.NEW
    assert order.proposal == accepted and accepted.sales_order == order
    assert (order.client, order.assigned_to, order.created_by) == (accepted.client, agent,
                                                                   agent)
    assert (order.currency, order.discount_percent, order.terms) == ("RON", Decimal(5),
                                                                     "Payment in 15 days")
    copied = [(row.description, row.quantity, row.unit_price, row.vat_rate, row.net)
              for row in order.lines.all()]
    original = [(row.description, row.quantity, row.unit_price, row.vat_rate, row.net)
                for row in accepted.lines.all()]
    assert copied == original
    accepted.refresh_from_db()
    assert order.total == accepted.totals().total
    assert created[0]["order"] == order and created[0]["actor"] == agent
    assert Activity.objects.filter(event="salesorder.created", object_id=order.pk).exists()
    assert events_of(accepted, "proposal.converted").count() == 1


def test_convert_refusals(agent, other_agent, accepted, proposal):
    with pytest.raises(PermissionDenied):  # not the other agent's proposal
        convert(other_agent, accepted)
    with pytest.raises(PermissionDenied):  # Finance may not add orders
        convert(UserFactory(role=roles.FINANCE), accepted)
    convert(agent, accepted)
    with pytest.raises(ValidationError, match="already sales order"):
        convert(agent, accepted)
    draft = ProposalFactory(client=accepted.client, assigned_to=agent)
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        convert(agent, draft)
    for_lead = ProposalFactory(client=None, lead=LeadFactory(assigned_to=agent),
                               assigned_to=agent, lines=[line()])
    with_link(for_lead, Status.ACCEPTED)
    with pytest.raises(ValidationError, match="convert the lead to a client first"):
        convert(agent, for_lead)
    assert SalesOrder.objects.count() == 1


# --- direct orders, editing, confirming, cancelling --------------------------------------

def create(actor, client, **values):
    from sales.services.orders import sales_order_create

    return sales_order_create(actor=actor, client=client,
                              lines=values.pop("lines", [line(unit_price=Decimal("100.00"))]),
                              **values)


@pytest.fixture
def order(agent, account):
    return create(agent, account, client_reference="PO-77")


def order_events(order, event):
    return Activity.objects.filter(event=event, object_id=order.pk,
                                   content_type__model="salesorder")


def test_create_directly_with_lines_and_totals(agent, account,
                                               django_capture_on_commit_callbacks):
    with (listening(events.sales_order_created) as created,
          django_capture_on_commit_callbacks(execute=True)):
        order = create(agent, account, client_reference="PO-77",
                       lines=[line(quantity=Decimal(2), unit_price=Decimal("50.00"))])
    assert (order.status, order.assigned_to, order.created_by, order.proposal) == (
        SalesOrder.Status.NEW, agent, agent, None)
    assert (order.client_reference, order.total) == ("PO-77", Decimal("121.00"))
    assert [call["order"] for call in created] == [order]
    assert order_events(order, "salesorder.created").get().description.endswith(
        "created for Alfa Consulting SRL (121.00 RON)")


def test_create_refusals(agent, other_agent, account):
    with pytest.raises(PermissionDenied):
        create(UserFactory(role=roles.FINANCE), account)
    with pytest.raises(ValidationError) as refused:
        create(other_agent, account)
    assert "client" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        create(agent, account, contact=ContactFactory())
    assert "contact" in refused.value.message_dict
    assert not SalesOrder.objects.exists()


def test_update_only_while_new(agent, order):
    from sales.services.orders import sales_order_confirm, sales_order_update

    updated = sales_order_update(actor=agent, order=order, client_reference="PO-78",
                                 lines=[line(unit_price=Decimal("200.00"))])
    assert updated.total == Decimal("242.00")
    assert order_events(order, "salesorder.updated").get().changes == {
        "client_reference": ["PO-77", "PO-78"], "total": ["121.00", "242.00"]}
    sales_order_confirm(actor=UserFactory(role=roles.SALES_MANAGER), order=order)
    with pytest.raises(ValidationError, match="A confirmed order cannot be edited"):
        sales_order_update(actor=agent, order=order, lines=[line()])
    with pytest.raises(PermissionDenied):
        sales_order_update(actor=UserFactory(role=roles.SALES_AGENT), order=order, lines=[])


def test_confirm_needs_the_permission_and_a_new_order(agent, order,
                                                      django_capture_on_commit_callbacks):
    from sales.services.orders import sales_order_confirm

    with pytest.raises(PermissionDenied):  # agents enter orders, managers confirm them
        sales_order_confirm(actor=agent, order=order)
    with pytest.raises(PermissionDenied):  # an account manager confirms only their own
        sales_order_confirm(actor=UserFactory(role=roles.ACCOUNT_MANAGER), order=order)
    manager = UserFactory(role=roles.SALES_MANAGER)
    with (listening(events.sales_order_confirmed) as confirmed,
          django_capture_on_commit_callbacks(execute=True)):
        sales_order_confirm(actor=manager, order=order)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED and order.confirmed_at is not None
    assert [(call["order"], call["actor"]) for call in confirmed] == [(order, manager)]
    row = order_events(order, "salesorder.confirmed").get()
    assert row.actor == manager and row.changes == {"status": ["New", "Confirmed"]}
    with pytest.raises(ValidationError, match="Confirmed cannot do that"):
        sales_order_confirm(actor=manager, order=order)


def test_cancel_with_a_reason_from_new_or_confirmed(agent, account, order,
                                                    django_capture_on_commit_callbacks):
    from sales.services.orders import sales_order_cancel, sales_order_confirm

    manager = UserFactory(role=roles.SALES_MANAGER)
    with pytest.raises(ValidationError) as refused:
        sales_order_cancel(actor=manager, order=order, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        sales_order_cancel(actor=agent, order=order, reason="Client changed their mind")
    with (listening(events.sales_order_cancelled) as cancelled,
          django_capture_on_commit_callbacks(execute=True)):
        sales_order_cancel(actor=manager, order=order, reason="Client changed their mind")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED and order.cancelled_at is not None
    assert order.cancel_reason == "Client changed their mind"
    assert [call["order"] for call in cancelled] == [order]
    assert order_events(order, "salesorder.cancelled").get().changes == {
        "status": ["New", "Cancelled"]}
    confirmed = create(agent, account)
    sales_order_confirm(actor=manager, order=confirmed)
    sales_order_cancel(actor=manager, order=confirmed, reason="Duplicate")
    assert order_events(confirmed, "salesorder.cancelled").get().changes == {
        "status": ["Confirmed", "Cancelled"]}
    with pytest.raises(ValidationError, match="Cancelled cannot do that"):
        sales_order_cancel(actor=manager, order=order, reason="Again")


def test_an_invoiced_order_cannot_be_cancelled(agent, order):
    from sales.services.orders import sales_order_cancel, sales_order_confirm

    manager = UserFactory(role=roles.SALES_MANAGER)
    sales_order_confirm(actor=manager, order=order)
    order.refresh_from_db()
    order.mark_invoiced()
    order.save()
    with pytest.raises(ValidationError, match="Invoiced cannot do that"):
        sales_order_cancel(actor=manager, order=order, reason="Too late")


def test_the_warehouse_flag_logs_only_changes_and_stops_when_closed(agent, order):
    from sales.services.orders import sales_order_cancel, sales_order_set_warehouse

    sales_order_set_warehouse(actor=agent, order=order, awaiting=True)
    sales_order_set_warehouse(actor=agent, order=order, awaiting=True)
    sales_order_set_warehouse(actor=agent, order=order, awaiting=False)
    rows = order_events(order, "salesorder.warehouse").order_by("id")
    assert [row.description.split(": ", 1)[1] for row in rows] == [
        "awaiting warehouse confirmation", "warehouse confirmed"]
    with pytest.raises(PermissionDenied):
        sales_order_set_warehouse(actor=UserFactory(role=roles.SALES_AGENT), order=order,
                                  awaiting=True)
    sales_order_cancel(actor=UserFactory(role=roles.SALES_MANAGER), order=order,
                       reason="Out of stock")
    with pytest.raises(ValidationError, match="The order is closed."):
        sales_order_set_warehouse(actor=agent, order=order, awaiting=True)


def test_repeat_lines_reprice_items_at_today_client_price(agent, account, item):
    from sales.models import ClientPricing, PriceListEntry
    from sales.services.orders import repeat_lines

    retired = ItemFactory(name="Legacy support", unit_price=Decimal("40.00"))
    earlier = create(agent, account, lines=[
        line(item, quantity=Decimal(3), unit_price=Decimal("180.00")),
        line(retired, unit_price=Decimal("35.00")),
        line(description="Travel", unit_price=Decimal("75.00"))])
    retired.active = False
    retired.save()
    price_list = PriceListFactory(name="Alfa 2027")
    PriceListEntry.objects.create(price_list=price_list, item=item, unit_price=Decimal("210"))
    ClientPricing.objects.create(client=account, price_list=price_list)
    lines = repeat_lines(earlier, account)
    assert [(values["item"], values["quantity"], values["unit_price"], values["price_source"])
            for values in lines] == [
        (item, Decimal(3), Decimal("210.00"), "Price list “Alfa 2027” (client's list)"),
        (retired, Decimal(1), Decimal("35.00"), ""),
        (None, Decimal(1), Decimal("75.00"), "")]
    repeated = create(agent, account, lines=lines)
    assert repeated.lines.first().unit_price == Decimal("210.00")
