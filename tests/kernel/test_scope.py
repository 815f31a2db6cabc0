import pytest
from django.contrib.auth.models import AnonymousUser

from crmconnect.clients.models import Client
from crmconnect.staff import roles

from ..factories import ClientFactory, UserFactory


@pytest.fixture
def clients_of(db):
    agent = UserFactory(role=roles.SALES_AGENT)
    other = UserFactory(role=roles.SALES_AGENT)
    mine = ClientFactory(owner=agent)
    theirs = ClientFactory(owner=other)
    return agent, mine, theirs


def test_own_scope_sees_only_owned_records(clients_of):
    agent, mine, theirs = clients_of
    assert list(Client.objects.visible_to(agent)) == [mine]


def test_all_scope_sees_every_record(clients_of):
    _, mine, theirs = clients_of
    manager = UserFactory(role=roles.SALES_MANAGER)
    assert set(Client.objects.visible_to(manager)) == {mine, theirs}


def test_no_permission_and_anonymous_see_nothing(clients_of):
    assert not Client.objects.visible_to(UserFactory()).exists()
    assert not Client.objects.visible_to(AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(clients_of):
    agent, _, _ = clients_of
    agent.is_active = False
    agent.save()
    assert not Client.objects.visible_to(agent).exists()
