"""Converting an accepted proposal to a sales order (sales/services/orders.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from sales import events
from sales.models import Proposal, SalesOrder

from ..factories import LeadFactory, ProposalFactory, UserFactory, line
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
