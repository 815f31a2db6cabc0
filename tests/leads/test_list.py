import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.filters import start_of_day
from leads.models import Lead, Tag
from tests.factories import LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
LIST = reverse("leads:list")
BOARD = reverse("leads:board")


def names(response):
    assert response.status_code == 200
    return [lead.name for lead in response.context["page_obj"]]


def age(lead, **fields):
    """Move the lead's timestamps into the past: age(lead, created_at=dict(days=2))."""
    Lead.objects.filter(pk=lead.pk).update(**{
        field: timezone.now() - datetime.timedelta(**delta) for field, delta in fields.items()})


@pytest.fixture
def variety(stages, agent, other_agent, source, lost_reason):
    """One lead per case each filter tells apart."""
    fresh = LeadFactory(name="Fresh", status=stages[0], assigned_to=agent, source=source)
    yesterday = LeadFactory(name="Yesterday", status=stages[1], assigned_to=other_agent)
    age(yesterday, created_at={"hours": 30}, status_changed_at={"hours": 30})
    stagnant = LeadFactory(name="Stagnant", status=stages[2], assigned_to=agent)
    age(stagnant, created_at={"days": 40}, status_changed_at={"days": 20})
    contacted = LeadFactory(name="Contacted", status=stages[0], assigned_to=other_agent,
                            last_contacted_at=timezone.now())
    lost = LeadFactory(name="Lost", status=stages[1], lost_at=timezone.now(),
                       lost_reason=lost_reason)
    age(lost, created_at={"days": 3}, status_changed_at={"days": 30})
    junk = LeadFactory(name="Junk", status=stages[0], is_junk=True)
    OpportunityFactory(name="An opportunity", status=stages[0], assigned_to=agent)
    tag = Tag.objects.create(name="vip")
    yesterday.tags.add(tag)
    return {"fresh": fresh, "stagnant": stagnant, "contacted": contacted, "lost": lost,
            "junk": junk, "tag": tag}


def test_default_list_shows_active_leads_newest_first(admin_client, variety):
    assert names(admin_client.get(LIST)) == ["Contacted", "Fresh", "Yesterday", "Stagnant"]


@pytest.mark.parametrize(("view", "expected"), [
    ("today", ["Contacted", "Fresh"]),
    ("stagnant", ["Stagnant"]),
    ("uncontacted", ["Fresh"]),
    ("lost", ["Lost"]),
    ("junk", ["Junk"]),
])
def test_views(admin_client, variety, view, expected):
    assert names(admin_client.get(LIST, {"filter": view})) == expected


def test_guide_link_shows_todays_leads_as_a_list(admin_client, variety):
    response = admin_client.get(BOARD, {"filter": "today"})
    assert response.templates[0].name == "leads/list/list.html"
    assert names(response) == ["Contacted", "Fresh"]


def test_view_list_switch(admin_client, variety):
    response = admin_client.get(BOARD, {"view": "list"})
    assert names(response) == ["Contacted", "Fresh", "Yesterday", "Stagnant"]
    assert admin_client.get(BOARD).templates[0].name == "leads/board/board.html"


def test_opportunities_filter_goes_to_the_opportunities_list(admin_client):
    response = admin_client.get(BOARD, {"filter": "opportunities"})
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:opportunities")


def test_filters(login_as, admin_user, variety, agent, source, stages, other_pipeline):
    client = login_as(admin_user)
    assert names(client.get(LIST, {"tag": variety["tag"].pk})) == ["Yesterday"]
    assert names(client.get(LIST, {"source": source.pk})) == ["Fresh"]
    assert names(client.get(LIST, {"assigned": agent.pk})) == ["Fresh", "Stagnant"]
    assert names(client.get(LIST, {"status": stages[2].pk})) == ["Stagnant"]
    assert names(client.get(LIST, {"pipeline": other_pipeline.pk})) == []
    Lead.objects.filter(name="Fresh").update(assigned_to=admin_user)
    assert names(client.get(LIST, {"assigned": "me"})) == ["Fresh"]


def test_assigned_me_for_an_agent(login_as, variety, agent):
    assert names(login_as(agent).get(LIST, {"assigned": "me"})) == ["Fresh", "Stagnant"]


def test_created_date_range(admin_client, stages):
    today = timezone.localdate()
    for name, days_ago in (("Today", 0), ("Two days ago", 2), ("Last month", 30)):
        noon = start_of_day(today - datetime.timedelta(days=days_ago)) + datetime.timedelta(
            hours=12)
        LeadFactory(name=name, status=stages[0], created_at=noon)
    two_days_ago = (today - datetime.timedelta(days=2)).isoformat()
    assert names(admin_client.get(LIST, {"created_from": two_days_ago})) == [
        "Today", "Two days ago"]
    assert names(admin_client.get(LIST, {"created_to": two_days_ago})) == [
        "Two days ago", "Last month"]
    assert names(admin_client.get(LIST, {"created_from": two_days_ago,
                                         "created_to": two_days_ago})) == ["Two days ago"]


def test_agent_sees_only_own_leads(login_as, variety, agent):
    assert names(login_as(agent).get(LIST)) == ["Fresh", "Stagnant"]
    assert names(login_as(agent).get(LIST, {"filter": "lost"})) == []


@pytest.mark.parametrize(("query", "expected"), [
    ("pop", ["Ana Pop"]),
    ("alfa", ["Ana Pop", "Anamaria Alfa"]),
    ("beta", ["Bogdan Ionescu"]),
    ("ANA@ALFA.RO", ["Ana Pop"]),
    ("@alfa.ro", ["Ana Pop", "Anamaria Alfa"]),
    ("ana@alfa.ro", ["Ana Pop"]),
])
def test_search(admin_client, stages, query, expected):
    LeadFactory(name="Ana Pop", company="Alfa SRL", email="ana@alfa.ro", status=stages[0])
    LeadFactory(name="Bogdan Ionescu", company="Beta SA", email="bogdan@beta.ro",
                status=stages[0])
    LeadFactory(name="Anamaria Alfa", company="", email="xana@alfa.ro", status=stages[0])
    assert sorted(names(admin_client.get(LIST, {"q": query}))) == expected


@pytest.mark.parametrize(("order", "expected"), [
    ("", ["Gama", "Beta", "Alfa"]),
    ("created_at", ["Alfa", "Beta", "Gama"]),
    ("name", ["Alfa", "Beta", "Gama"]),
    ("-name", ["Gama", "Beta", "Alfa"]),
    ("value", ["Beta", "Alfa", "Gama"]),
    ("-value", ["Gama", "Alfa", "Beta"]),
    ("status_changed_at", ["Gama", "Alfa", "Beta"]),
])
def test_sorting(admin_client, stages, order, expected):
    alfa = LeadFactory(name="Alfa", value=500, status=stages[0])
    beta = LeadFactory(name="Beta", value=100, status=stages[0])
    gama = LeadFactory(name="Gama", value=900, status=stages[0])
    for lead, days in ((alfa, 3), (beta, 2), (gama, 1)):
        age(lead, created_at={"days": days})
    for lead, days in ((alfa, 5), (beta, 1), (gama, 9)):
        age(lead, status_changed_at={"days": days})
    assert names(admin_client.get(LIST, {"o": order})) == expected


def test_list_page_shows_columns_and_bulk_form(login_as, agent, stages, source):
    lead = LeadFactory(name="Ana Pop", company="Alfa SRL", status=stages[0], assigned_to=agent,
                       source=source, value="1500.00")
    age(lead, status_changed_at={"days": 16})
    content = login_as(agent).get(LIST).content.decode()
    assert f'href="{lead.get_absolute_url()}"' in content
    for text in ["Alfa SRL", "New", "Sales", "Web form", str(agent), "1,500.00 RON", "16 d"]:
        assert text in content
    assert f'name="ids" value="{lead.pk}"' in content
    assert 'value="delete"' not in content  # agents may not delete
    assert reverse("leads:export") not in content  # nor export


def test_invalid_filter_value_is_reported(admin_client, variety):
    response = admin_client.get(LIST, {"filter": "bogus", "source": "99999"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"filter", "source"}


def test_empty_states(admin_client, stages):
    assert "No leads yet." in admin_client.get(LIST).content.decode()
    LeadFactory(status=stages[0])
    assert "No leads match these filters." in admin_client.get(
        LIST, {"q": "zzz"}).content.decode()


def test_list_needs_view_permission(login_as, make_user):
    assert login_as(make_user("Finance")).get(LIST).status_code == 403


def test_list_query_count_is_constant(assert_constant_queries, admin_user, stages, source):
    tag = Tag.objects.create(name="vip")

    def add_rows():
        for lead in LeadFactory.create_batch(4, status=stages[0], source=source,
                                             assigned_to=admin_user):
            lead.tags.add(tag)

    add_rows()
    assert_constant_queries(LIST, add_rows, user=admin_user)


def test_own_list_query_count_is_constant(assert_constant_queries, agent, stages):
    def add_rows():
        for lead in LeadFactory.create_batch(3, status=stages[0], assigned_to=agent):
            age(lead, status_changed_at={"days": 20})

    add_rows()
    assert_constant_queries(f"{BOARD}?filter=stagnant", add_rows, user=agent)


def test_lost_list_query_count_is_constant(assert_constant_queries, admin_user, stages,
                                           lost_reason):
    def add_rows():
        LeadFactory.create_batch(3, status=stages[0], lost_at=timezone.now(),
                                 lost_reason=lost_reason)

    add_rows()
    assert_constant_queries(f"{LIST}?filter=lost", add_rows, user=admin_user)
