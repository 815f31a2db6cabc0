import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.staff import roles
from tests.factories import ClientFactory, ClientGroupFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("clients:list")


def names(response):
    return [client.name for client in response.context["page_obj"]]


def test_list_shows_clients_sorted_by_name(admin_client):
    ClientFactory(name="Beta SRL")
    ClientFactory(name="Alfa SA")
    response = admin_client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Alfa SA", "Beta SRL"]
    assert "Add client" in response.content.decode()


def test_empty_list_offers_to_add_a_client(admin_client):
    content = admin_client.get(LIST).content.decode()
    assert "No clients yet." in content
    assert reverse("clients:create") in content


def test_no_match_offers_to_clear_filters(admin_client):
    ClientFactory(name="Alfa SA")
    content = admin_client.get(LIST, {"q": "zzz"}).content.decode()
    assert "No clients match these filters." in content


@pytest.mark.parametrize(("query", "expected"), [
    ("alfa", ["Alfa Construct SRL"]),
    ("RO1854", ["Alfa Construct SRL"]),
    ("18547", ["Alfa Construct SRL"]),
    ("ro14186", ["Beta Trans SA"]),
    ("ro 141 86", ["Beta Trans SA"]),
    ("@beta.ro", ["Beta Trans SA"]),
    ("SRL", ["Alfa Construct SRL"]),
])
def test_search(admin_client, query, expected):
    ClientFactory(name="Alfa Construct SRL", cui="RO18547290", email="office@alfa.ro")
    ClientFactory(name="Beta Trans SA", cui="RO14186770", email="contact@beta.ro")
    assert names(admin_client.get(LIST, {"q": query})) == expected


@pytest.mark.parametrize(("order", "expected"), [
    ("", ["Alfa Construct SRL", "Beta Construct SRL", "Gama Construct SRL"]),
    ("-name", ["Gama Construct SRL", "Beta Construct SRL", "Alfa Construct SRL"]),
    ("city", ["Gama Construct SRL", "Alfa Construct SRL", "Beta Construct SRL"]),
])
def test_search_results_are_sorted(admin_client, order, expected):
    ClientFactory(name="Beta Construct SRL", city="Iași")
    ClientFactory(name="Gama Construct SRL", city="Arad")
    ClientFactory(name="Alfa Construct SRL", city="Cluj-Napoca")
    ClientFactory(name="Delta Trans SA", city="Arad")
    assert names(admin_client.get(LIST, {"q": "construct", "o": order})) == expected


def test_filters(admin_client, admin_user):
    group = ClientGroupFactory(name="Key accounts")
    ClientFactory(name="Cluj Group Mine", county="RO-CJ", group=group, owner=admin_user,
                  vat_payer=True, cui="RO18547290")
    ClientFactory(name="Cluj Other", county="RO-CJ", owner=UserFactory(), active=False)
    ClientFactory(name="Timis Person", county="RO-TM", kind="person", owner=admin_user)

    assert names(admin_client.get(LIST, {"county": "RO-CJ"})) == ["Cluj Group Mine",
                                                                   "Cluj Other"]
    assert names(admin_client.get(LIST, {"owner": "me"})) == ["Cluj Group Mine",
                                                              "Timis Person"]
    assert names(admin_client.get(LIST, {"owner": admin_user.pk, "county": "RO-TM"})) == [
        "Timis Person"]
    assert names(admin_client.get(LIST, {"group": group.pk})) == ["Cluj Group Mine"]
    assert names(admin_client.get(LIST, {"kind": "person"})) == ["Timis Person"]
    assert names(admin_client.get(LIST, {"vat_payer": "true"})) == ["Cluj Group Mine"]
    assert names(admin_client.get(LIST, {"active": "false"})) == ["Cluj Other"]


def test_created_date_range(admin_client):
    old = ClientFactory(name="Old")
    Client.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40))
    ClientFactory(name="New")
    today = timezone.localdate()
    assert names(admin_client.get(LIST, {"created_from": today.isoformat()})) == ["New"]
    before = (today - datetime.timedelta(days=30)).isoformat()
    assert names(admin_client.get(LIST, {"created_to": before})) == ["Old"]


def test_invalid_filter_value_is_reported_not_a_crash(admin_client):
    ClientFactory(name="Alfa")
    response = admin_client.get(LIST, {"county": "XX", "owner": "99999"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"county", "owner"}


@pytest.mark.parametrize(("order", "expected"), [
    ("name", ["Alfa", "Beta", "Gama"]),
    ("-name", ["Gama", "Beta", "Alfa"]),
    ("city", ["Beta", "Gama", "Alfa"]),
    ("-city", ["Alfa", "Gama", "Beta"]),
    ("cui", ["Gama", "Alfa", "Beta"]),
    ("-created_at", ["Gama", "Beta", "Alfa"]),
])
def test_sorting(admin_client, order, expected):
    ClientFactory(name="Alfa", city="Timișoara", cui="RO18547290")
    ClientFactory(name="Beta", city="Arad", cui="RO6859662")
    ClientFactory(name="Gama", city="Iași", cui="RO14186770")
    assert names(admin_client.get(LIST, {"o": order})) == expected


def test_sort_headers_keep_filters(admin_client):
    ClientFactory(county="RO-CJ")
    content = admin_client.get(LIST, {"county": "RO-CJ", "o": "name"}).content.decode()
    assert "?county=RO-CJ&amp;o=-name" in content


def test_pagination(admin_client):
    ClientFactory.create_batch(27)
    first = admin_client.get(LIST)
    assert len(first.context["page_obj"]) == 25
    assert "page=2" in first.content.decode()
    second = admin_client.get(LIST, {"page": 2})
    assert len(second.context["page_obj"]) == 2
    assert not set(names(first)) & set(names(second))


def test_agent_sees_only_own_clients(login_as, agent):
    ClientFactory(name="Mine", owner=agent)
    ClientFactory(name="Someone else's", owner=UserFactory())
    ClientFactory(name="Nobody's")
    assert names(login_as(agent).get(LIST)) == ["Mine"]


def test_detail_outside_scope_is_404(login_as, agent):
    other = ClientFactory(owner=UserFactory())
    mine = ClientFactory(owner=agent)
    client = login_as(agent)
    assert client.get(reverse("clients:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("clients:detail", args=[mine.pk])).status_code == 200


def test_user_without_role_is_refused(login_as, make_user):
    client = login_as(make_user())
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("clients:detail", args=[ClientFactory().pk])).status_code == 403


def test_export_buttons_only_with_permission(login_as, agent, make_user):
    assert "Export CSV" not in login_as(agent).get(LIST).content.decode()
    content = login_as(make_user(roles.ACCOUNT_MANAGER)).get(LIST, {"q": "x"}).content.decode()
    assert f"{reverse('clients:export')}?q=x&amp;format=csv" in content


def test_list_query_count_is_constant(assert_constant_queries, admin_user):
    def add_rows():
        groups = ClientGroupFactory.create_batch(3)
        owners = UserFactory.create_batch(3)
        for index in range(30):
            ClientFactory(group=groups[index % 3], owner=owners[index % 3])

    ClientFactory(group=ClientGroupFactory(), owner=admin_user)
    assert_constant_queries(LIST, add_rows, user=admin_user)


def test_own_scope_list_query_count_is_constant(assert_constant_queries, agent):
    ClientFactory(owner=agent, group=ClientGroupFactory())
    assert_constant_queries(
        f"{LIST}?o=-created_at",
        lambda: [ClientFactory(owner=agent, group=ClientGroupFactory()) for _ in range(30)],
        user=agent)
