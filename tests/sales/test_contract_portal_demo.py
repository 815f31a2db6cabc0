"""The demo orders and contracts (sales/demo.py): each status once, safe to seed twice, the
trail from the accepted proposal, and the contract signed online readable through its link."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from crmconnect.activity.models import Attachment, Task
from crmconnect.core.portal import token_digest
from sales.demo import ACCEPTED, CONTRACTS, ORDERS
from sales.models import Contract, ContractStatus, SalesOrder

Kind = ContractStatus.Kind


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def sales_demo_orders():
    """Those of the sales demo (the billing demo adds an order it invoices); the order of the
    accepted proposal has no client reference."""
    return SalesOrder.objects.filter(
        client_reference__in=["", *(reference for reference, *_ in ORDERS)])


def test_orders_in_every_status_once(seeded):
    orders = {order.client_reference: order for order in sales_demo_orders()}
    assert len(orders) == len(ORDERS) + 1
    assert orders["PO-TL-2026-031"].status == SalesOrder.Status.CONFIRMED
    waiting = orders["PO-MM-0417"]
    assert waiting.status == SalesOrder.Status.CONFIRMED and waiting.awaiting_warehouse
    assert orders["PO-LS-88"].status == SalesOrder.Status.CANCELLED
    from_proposal = orders[""]
    assert from_proposal.status == SalesOrder.Status.NEW
    assert from_proposal.proposal.subject == ACCEPTED
    assert all(order.total > 0 and order.assigned_to == order.client.owner
               for order in orders.values() if order.proposal is None)
    call_command("seed_demo", stdout=io.StringIO())
    assert sales_demo_orders().count() == len(ORDERS) + 1


def test_contracts_draft_signed_ending_and_expired_once(seeded):
    contracts = {contract.subject: contract for contract in Contract.objects.all()}
    assert len(contracts) == len(CONTRACTS) + 1
    online = Contract.objects.get(proposal__subject=ACCEPTED)
    assert online.status.kind == Kind.ACTIVE and not online.signed_manually
    assert online.signed_pdf and online.sales_order.proposal == online.proposal
    assert contracts["IT support SLA 2027"].status.kind == Kind.DRAFT
    ending = contracts["Hosting and backup services"]
    assert ending.status.kind == Kind.ACTIVE and ending.signed_manually
    assert ending.days_left == 45
    assert Attachment.objects.filter(object_id=ending.pk, content_type__model="contract",
                                     name="Hosting and backup services signed.pdf").exists()
    assert Task.objects.get(object_id=ending.pk, content_type__model="contract").assignee == \
        ending.client.owner
    expired = contracts["Website maintenance 2025"]
    assert expired.status.kind == Kind.EXPIRED
    assert expired.end_date < timezone.localdate()
    assert timezone.localtime(expired.signed_at).date() == expired.start_date - \
        datetime.timedelta(days=5)
    call_command("seed_demo", stdout=io.StringIO())
    assert Contract.objects.count() == len(CONTRACTS) + 1
    assert Task.objects.filter(content_type__model="contract").count() == 1


def test_the_contract_signed_online_shows_its_signature_in_the_portal(seeded, client):
    online = Contract.objects.get(proposal__subject=ACCEPTED)
    token = "demo-link-for-the-test-0123456789abcdef"
    Contract.objects.filter(pk=online.pk).update(token_hash=token_digest(token))
    page = client.get(f"/p/contract/{token}/").content.decode()
    assert f'class="typed-signature">{online.signer_name}' in page
    assert f"Signed by {online.signer_name}" in page
    response = client.get(f"/p/contract/{token}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
