import pytest
from django.urls import reverse

from crmconnect.activity.models import Activity
from crmconnect.clients.models import Client, ClientGroup
from crmconnect.staff import roles
from tests.factories import ClientFactory, ClientGroupFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_delete_needs_post(admin_client):
    client = ClientFactory()
    url = reverse("clients:delete", args=[client.pk])
    assert admin_client.get(url).status_code == 405
    assert Client.objects.exists()


def test_delete_needs_permission(login_as, make_user):
    manager = make_user(roles.SALES_MANAGER)
    client = ClientFactory(owner=manager)
    response = login_as(manager).post(reverse("clients:delete", args=[client.pk]))
    assert response.status_code == 403
    assert Client.objects.exists()


def test_delete_removes_client_and_contacts_and_keeps_a_log_line(admin_client):
    client = ClientFactory(name="Gone SRL")
    ContactFactory(client=client)
    response = admin_client.post(reverse("clients:delete", args=[client.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")
    assert not Client.objects.exists()
    activity = Activity.objects.get(event="client.deleted")
    assert "Gone SRL" in activity.description


def test_detail_delete_button_confirms(admin_client):
    client = ClientFactory()
    content = admin_client.get(client.get_absolute_url()).content.decode()
    assert f'action="{reverse("clients:delete", args=[client.pk])}"' in content
    assert "data-confirm=" in content


def test_group_pages(admin_client):
    response = admin_client.get(reverse("clients:groups"))
    assert response.status_code == 200
    assert "No client groups yet." in response.content.decode()

    response = admin_client.post(reverse("clients:group_add"), {"name": "Resellers"})
    assert response.status_code == 302
    group = ClientGroup.objects.get(name="Resellers")
    ClientFactory(group=group)

    response = admin_client.post(reverse("clients:group_add"), {"name": "Resellers"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors

    admin_client.post(reverse("clients:group_edit", args=[group.pk]),
                      {"name": "Partners", "description": "Resell our services"})
    group.refresh_from_db()
    assert group.name == "Partners"
    assert Activity.objects.get(event="client_group.updated").changes["name"] == [
        "Resellers", "Partners"]

    assert admin_client.get(reverse("clients:group_delete", args=[group.pk])).status_code == 405
    admin_client.post(reverse("clients:group_delete", args=[group.pk]))
    assert not ClientGroup.objects.exists()
    assert Client.objects.get().group is None


def test_group_permissions(login_as, make_user):
    group = ClientGroupFactory()
    account_manager = login_as(make_user(roles.ACCOUNT_MANAGER))
    assert account_manager.get(reverse("clients:groups")).status_code == 200
    assert account_manager.get(reverse("clients:group_add")).status_code == 403
    response = account_manager.post(reverse("clients:group_delete", args=[group.pk]))
    assert response.status_code == 403
    assert login_as(make_user(roles.SALES_AGENT)).get(reverse("clients:groups")).status_code == 403
