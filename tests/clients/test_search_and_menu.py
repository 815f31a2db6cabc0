import pytest
from django.urls import reverse

from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("core:search")


def test_header_search_returns_only_visible_clients(login_as, agent):
    mine = ClientFactory(name="Alfa Mine SRL", owner=agent, cui="RO18547290")
    ClientFactory(name="Alfa Other SRL", owner=UserFactory())
    response = login_as(agent).get(SEARCH, {"q": "alfa"})
    assert response.status_code == 200
    groups = {group["label"]: group for group in response.context["groups"]}
    assert groups["Clients"]["rows"] == [mine]
    content = response.content.decode()
    assert mine.get_absolute_url() in content
    assert "RO18547290 · Cluj-Napoca" in content
    assert "Alfa Other SRL" not in content


def test_header_search_by_cui_for_all_scope(admin_client):
    client = ClientFactory(name="Beta SA", cui="RO14186770")
    response = admin_client.get(SEARCH, {"q": "14186"}, headers={"HX-Request": "true"})
    assert response.context["groups"][0]["rows"] == [client]


def test_no_client_search_without_permission(login_as, make_user):
    ClientFactory(name="Alfa SRL")
    response = login_as(make_user()).get(SEARCH, {"q": "alfa"})
    assert response.context["groups"] == []


def test_menu_entries(admin_client, login_as, agent):
    content = admin_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("clients:list")}"' in content
    assert f'href="{reverse("clients:groups")}"' in content
    content = login_as(agent).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("clients:list")}"' in content
    assert f'href="{reverse("clients:groups")}"' not in content
