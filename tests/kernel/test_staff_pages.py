"""Every staff page answers an administrator and sends an anonymous visitor to log in."""

import pytest

from crmconnect.staff import roles

from ..factories import ClientFactory, ContactFactory, UserFactory

PAGES = [
    "/admin", "/admin/roles", "/admin/settings", "/admin/settings/vat-rates",
    "/admin/tasks/list_tasks", "/admin/tasks/add", "/admin/notifications", "/admin/activity",
    "/admin/staff", "/admin/teams", "/admin/clients", "/admin/clients/add",
    "/admin/clients/groups", "/admin/clients/{client}", "/admin/clients/{client}/edit",
    "/admin/clients/{client}/contacts/add", "/admin/search?q=Client", "/django-admin/",
]


@pytest.fixture
def client_pk(db):
    client = ClientFactory()
    ContactFactory(client=client, is_primary=True)
    return client.pk


@pytest.mark.parametrize("path", PAGES)
def test_an_administrator_opens_every_page(client, client_pk, path):
    client.force_login(UserFactory(role=roles.ADMINISTRATOR, is_staff=True))
    assert client.get(path.format(client=client_pk)).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, client_pk, path):
    url = path.format(client=client_pk)
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/?next=" in response["Location"]


# Every user has a dashboard, a search box and their own notifications; the rest needs a role.
NEEDS_A_ROLE = [p for p in PAGES
                if p not in ("/admin", "/admin/notifications", "/django-admin/")
                and "search" not in p]


@pytest.mark.parametrize("path", NEEDS_A_ROLE)
def test_a_user_without_a_role_is_refused(client, client_pk, path):
    client.force_login(UserFactory())
    assert client.get(path.format(client=client_pk)).status_code == 403


def test_django_admin_is_for_administrators_only(client, db):
    client.force_login(UserFactory(role=roles.SALES_MANAGER))
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")
