import pytest
from django.db.models import F

from crmconnect.core.portal import new_token
from sales.models import Proposal

from ..factories import ClientFactory, ContactFactory, ItemFactory, ProposalFactory


@pytest.fixture
def account(agent):
    """A client the agent owns, with a primary contact."""
    client = ClientFactory(owner=agent, name="Alfa Consulting SRL")
    ContactFactory(client=client, first_name="Maria", last_name="Ionescu", is_primary=True,
                   email="maria@alfa.example.com")
    return client


@pytest.fixture
def item(db):
    return ItemFactory(code="AUD-01", name="Security audit", unit_price="250.00", unit="day")


@pytest.fixture
def proposal(agent, account):
    """A draft proposal of the agent, two lines."""
    return ProposalFactory(client=account, assigned_to=agent, created_by=agent,
                           recipient_email="maria@alfa.example.com")


def with_link(proposal, status=Proposal.Status.SENT):
    """Give the proposal a portal link (as Send does) and the status; returns the token."""
    token, digest = new_token()
    Proposal.objects.filter(pk=proposal.pk).update(token_hash=digest, status=status,
                                                   sent_at=F("created_at"))
    proposal.refresh_from_db()
    return token


@pytest.fixture
def sent_proposal(proposal):
    """(proposal, token): sent by email, not yet opened."""
    return proposal, with_link(proposal)
