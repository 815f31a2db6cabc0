"""The document trail (proposal ↔ sales order ↔ contract, and what later modules add), the
"Confirmed orders not invoiced" dashboard widget and the client's "Orders" tab."""

from decimal import Decimal

import pytest
from django.utils import timezone

from sales import trail
from sales.models import Contract, ContractStatus, Proposal, SalesOrder
from sales.services.contracts import contract_from_proposal
from sales.services.orders import sales_order_create, sales_order_from_proposal
from sales.widgets import uninvoiced_orders_context

from ..factories import ProposalFactory, line
from .test_order_pages import make_order


@pytest.fixture
def deal(agent, account):
    """An accepted proposal converted to a sales order, then to a contract."""
    proposal = ProposalFactory(client=account, assigned_to=agent, subject="Audit 2026")
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    proposal.refresh_from_db()
    order = sales_order_from_proposal(actor=agent, proposal=proposal)
    contract = contract_from_proposal(actor=agent, proposal=proposal)
    return proposal, order, contract


def entries(record, user=None):
    return [(entry.label, entry.number) for entry in trail.document_trail(record, user)]


def test_every_document_shows_the_same_trail(deal):
    proposal, order, contract = deal
    expected = [("Proposal", proposal.number), ("Sales order", order.number),
                ("Contract", contract.number)]
    assert entries(proposal) == entries(order) == entries(contract) == expected
    (first, second, third) = trail.document_trail(order)
    assert first.url == proposal.get_absolute_url() and first.status == "Accepted"
    assert second.status == "New" and third.url == contract.get_absolute_url()


def test_a_contract_made_from_the_order_alone_is_on_the_trail(agent, account):
    order = make_order(agent, account)
    contract = Contract.objects.create(
        client=account, subject="Support", start_date=timezone.localdate(), value=Decimal(1),
        sales_order=order, status=ContractStatus.first_of(ContractStatus.Kind.DRAFT))
    assert entries(order) == [("Sales order", order.number), ("Contract", contract.number)]
    assert entries(contract) == entries(order)


def test_a_document_out_of_scope_is_listed_without_a_link(deal, agent, other_agent):
    proposal, order, contract = deal
    Contract.objects.filter(pk=contract.pk).update(assigned_to=other_agent)
    urls = [entry.url for entry in trail.document_trail(order, agent)]
    assert urls == [proposal.get_absolute_url(), order.get_absolute_url(), ""]


def test_the_order_page_links_back_to_the_proposal_and_on_to_the_contract(login_as, agent,
                                                                          deal):
    proposal, order, contract = deal
    html = login_as(agent).get(order.get_absolute_url()).content.decode()
    trail_html = html.split('id="document-trail"')[1].split("</nav>")[0]
    assert f'<a href="{proposal.get_absolute_url()}">{proposal.number}</a>' in trail_html
    assert f'<a href="{contract.get_absolute_url()}">{contract.number}</a>' in trail_html
    assert f'<strong aria-current="page">{order.number}</strong>' in trail_html


def test_an_order_without_related_documents_shows_no_trail(login_as, agent, account):
    order = make_order(agent, account)
    assert 'id="document-trail"' not in login_as(agent).get(
        order.get_absolute_url()).content.decode()


class Invoice:
    """What billing will register: a document with a number, a page and a status."""

    def __init__(self, order):
        self.order, self.number, self.status = order, "INV-0001", "Unpaid"

    def get_absolute_url(self):
        return "/admin/invoices/1"


def test_later_modules_join_the_trail(monkeypatch, deal):
    proposal, order, contract = deal
    invoice = Invoice(order)
    monkeypatch.setattr(trail, "trail_links", [])
    trail.register_trail_link(
        entries=lambda chain: [("Invoice", invoice)] if chain.order == order else [],
        origin=lambda record: record.order if isinstance(record, Invoice) else None)
    expected = [("Proposal", proposal.number), ("Sales order", order.number),
                ("Contract", contract.number), ("Invoice", "INV-0001")]
    assert entries(contract) == entries(invoice) == expected
    assert trail.document_trail(proposal)[-1].status == "Unpaid"


# --- dashboard widget and client tab --------------------------------------------------------

def test_uninvoiced_widget_counts_and_sums_per_currency(rf, agent, other_agent, manager,
                                                       account):
    confirmed = SalesOrder.Status.CONFIRMED
    ron = [make_order(agent, account, status=confirmed) for _ in range(2)]
    eur = make_order(agent, account, status=confirmed, currency="EUR",
                     lines=[line(unit_price=Decimal("10"))])
    make_order(agent, account)  # new: not yet to invoice
    make_order(agent, account, status=SalesOrder.Status.INVOICED)
    make_order(manager, account, status=confirmed, assigned_to=other_agent)
    request = rf.get("/admin")
    request.user = agent
    rows = uninvoiced_orders_context(request)["uninvoiced_totals"]
    assert rows == [
        {"currency": "EUR", "count": 1, "total": eur.total},
        {"currency": "RON", "count": 2, "total": sum(order.total for order in ron)},
    ]


def test_dashboard_shows_the_widget(login_as, agent, account):
    order = make_order(agent, account, status=SalesOrder.Status.CONFIRMED)
    html = login_as(agent).get("/admin").content.decode()
    widget = html.split('id="uninvoiced-orders"')[1]
    assert f"{order.total:,.2f} RON" in widget and "1 order<" in widget
    assert "/admin/orders?filter=uninvoiced" in widget


def test_client_tab_lists_the_clients_orders_with_new_and_repeat(login_as, agent, manager,
                                                                 other_agent, account):
    mine = make_order(agent, account, client_reference="PO-55")
    theirs = sales_order_create(actor=manager, client=account, assigned_to=other_agent,
                                lines=[line()])
    page = login_as(agent).get(account.get_absolute_url()).content.decode()
    html = page.split('id="orders"')[1].split("</section>")[0]
    assert mine.number in html and "PO-55" in html and theirs.number not in html
    assert f"/admin/orders/add?client={account.pk}&amp;repeat={mine.pk}" in html
    assert f'href="/admin/orders/add?client={account.pk}"' in html
    assert f"/admin/orders?client={account.pk}" in html
