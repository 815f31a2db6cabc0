import pytest
from django.utils import timezone

from crmconnect.staff import roles


@pytest.fixture
def agent(make_user):
    return make_user(roles.SALES_AGENT, username="agent")


@pytest.fixture
def other_agent(make_user):
    return make_user(roles.SALES_AGENT, username="other")


@pytest.fixture
def manager(make_user):
    return make_user(roles.SALES_MANAGER, username="manager")


@pytest.fixture
def today():
    return timezone.localdate()
