"""The demo proposals (sales/demo.py): one per status, safe to seed twice, and the accepted
one shows its signature in the portal."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from crmconnect.core.portal import token_digest
from sales.demo import ACCEPTED, PROPOSALS
from sales.models import Proposal

Status = Proposal.Status


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def sales_demo_proposals():
    """Those of the sales demo (the billing demo adds proposals it invoices)."""
    return Proposal.objects.filter(subject__in=[subject for subject, *_ in PROPOSALS])


def test_every_status_is_seeded_once(seeded):
    assert sales_demo_proposals().count() == len(PROPOSALS)
    statuses = dict(Proposal.objects.values_list("subject", "status"))
    assert statuses["Microsoft 365 rollout, 40 users"] == Status.DRAFT
    assert statuses["GDPR audit and remediation plan"] == Status.SENT
    assert statuses["e-Factura integration"] == Status.REVIEWED
    assert statuses["Support contract 2026"] == Status.ACCEPTED
    assert statuses["Office laptops refresh"] == Status.DECLINED
    expired = Proposal.objects.get(subject="ERP Cloud pilot")
    assert expired.is_expired and expired.open_till < timezone.localdate()
    for_lead = Proposal.objects.get(subject="Fleet tracking platform")
    assert for_lead.client is None and for_lead.lead.is_opportunity
    assert all(proposal.total > 0 and proposal.lines.exists() and proposal.lines.first().item
               for proposal in Proposal.objects.all())
    call_command("seed_demo", stdout=io.StringIO())
    assert sales_demo_proposals().count() == len(PROPOSALS)


def test_the_accepted_demo_proposal_shows_its_typed_signature(seeded, client):
    accepted = Proposal.objects.get(subject=ACCEPTED)
    assert accepted.signature == accepted.signer_name != ""
    token = "demo-link-for-the-test-0123456789abcdef"
    Proposal.objects.filter(pk=accepted.pk).update(token_hash=token_digest(token))
    page = client.get(f"/p/{token}/").content.decode()
    assert f'class="typed-signature">{accepted.signer_name}' in page
