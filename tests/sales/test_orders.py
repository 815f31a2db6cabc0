"""The sales order page (read-only) made from an accepted proposal."""

from decimal import Decimal

import pytest
from django.utils import timezone

from crmconnect.staff import roles
from sales.models import Proposal
from sales.services.orders import sales_order_from_proposal

from ..factories import ProposalFactory, UserFactory, line


@pytest.fixture
def order(agent, account):
    proposal = ProposalFactory(client=account, assigned_to=agent, currency="EUR",
                               exchange_rate=Decimal("5"),
                               lines=[line(description="Licences", quantity=Decimal(4),
                                           unit_price=Decimal("99.50"))])
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    proposal.refresh_from_db()
    return sales_order_from_proposal(actor=agent, proposal=proposal)


def test_order_page_shows_lines_totals_and_the_proposal(login_as, agent, order):
    response = login_as(agent).get(order.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and order.number in html and "Licences" in html
    assert response.context["totals"] == order.totals()
    assert f'data-total="total">{order.total:,.2f} EUR' in html
    assert f'href="{order.proposal.get_absolute_url()}"' in html
    assert "In RON" in html


def test_order_scope_and_permission(login_as, other_agent, order, make_user):
    assert login_as(other_agent).get(order.get_absolute_url()).status_code == 404
    assert login_as(make_user(roles.SDR)).get(order.get_absolute_url()).status_code == 403
    finance = UserFactory(role=roles.FINANCE)
    html = login_as(finance).get(order.get_absolute_url()).content.decode()
    assert order.proposal.number in html
