import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import LeadFactory, OpportunityFactory, OpportunityStatusFactory

pytestmark = pytest.mark.django_db
OPPORTUNITIES = reverse("leads:opportunities")


def rows(response):
    assert response.status_code == 200
    return response.context["rows"]


def names(response):
    return [row.name for row in rows(response)]


@pytest.fixture
def deals(agent, other_agent, opportunity_status):
    proposal = OpportunityStatusFactory(name="Offer sent", color="#198754")
    return [
        OpportunityFactory(name="Half cent", value=Decimal("10.05"), probability=50,
                           opportunity_status=opportunity_status, assigned_to=agent,
                           close_date=datetime.date(2025, 3, 31)),
        OpportunityFactory(name="Big deal", value=Decimal("20000.00"), probability=25,
                           opportunity_status=proposal, assigned_to=other_agent,
                           close_date=datetime.date(2025, 2, 1)),
        OpportunityFactory(name="Undated", value=Decimal("999.99"), probability=None,
                           opportunity_status=opportunity_status, assigned_to=agent),
        OpportunityFactory(name="April", value=Decimal("0.01"), probability=50,
                           opportunity_status=proposal, assigned_to=agent,
                           close_date=datetime.date(2025, 4, 1)),
    ]


def test_list_shows_weighted_values_rounded_half_up(admin_client, deals):
    response = admin_client.get(OPPORTUNITIES)
    weighted = {row.name: row.weighted for row in rows(response)}
    assert weighted == {"Half cent": Decimal("5.03"), "Big deal": Decimal("5000.00"),
                        "Undated": None, "April": Decimal("0.01")}
    content = response.content.decode()
    assert "5.03 RON" in content and "5,000.00 RON" in content
    assert 'fill="#198754"' in content  # the status colour
    assert f'href="{deals[0].get_absolute_url()}"' in content


def test_totals_are_the_sums_of_the_filtered_rows(admin_client, deals):
    [total] = admin_client.get(OPPORTUNITIES).context["totals"]
    assert total == {"currency": "RON", "value": Decimal("21010.05"),
                     "weighted": Decimal("5005.04")}
    [total] = admin_client.get(OPPORTUNITIES, {"close_month": "2025-03"}).context["totals"]
    assert (total["value"], total["weighted"]) == (Decimal("10.05"), Decimal("5.03"))


def test_totals_per_currency(admin_client, deals, opportunity_status):
    OpportunityFactory(value=Decimal("100"), probability=10, currency="EUR",
                       opportunity_status=opportunity_status)
    totals = admin_client.get(OPPORTUNITIES).context["totals"]
    assert [(t["currency"], t["value"], t["weighted"]) for t in totals] == [
        ("EUR", Decimal("100.00"), Decimal("10.00")),
        ("RON", Decimal("21010.05"), Decimal("5005.04"))]


def test_sorted_by_close_date_by_default_undated_last(admin_client, deals):
    assert names(admin_client.get(OPPORTUNITIES)) == ["Big deal", "Half cent", "April",
                                                       "Undated"]


@pytest.mark.parametrize(("order", "expected"), [
    ("-close_date", ["April", "Half cent", "Big deal", "Undated"]),
    ("value", ["April", "Half cent", "Undated", "Big deal"]),
    ("-value", ["Big deal", "Undated", "Half cent", "April"]),
    ("created_at", ["Half cent", "Big deal", "Undated", "April"]),
])
def test_sorting(admin_client, deals, order, expected):
    assert names(admin_client.get(OPPORTUNITIES, {"o": order})) == expected


def test_filters(login_as, admin_user, deals, agent, opportunity_status):
    client = login_as(admin_user)
    assert names(client.get(OPPORTUNITIES, {"close_month": "2025-03"})) == ["Half cent"]
    assert names(client.get(OPPORTUNITIES, {"owner": agent.pk})) == [
        "Half cent", "April", "Undated"]
    assert names(client.get(OPPORTUNITIES, {"opportunity_status": opportunity_status.pk})) == [
        "Half cent", "Undated"]
    assert names(client.get(OPPORTUNITIES, {"q": "big"})) == ["Big deal"]
    assert names(login_as(agent).get(OPPORTUNITIES, {"owner": "me"})) == [
        "Half cent", "April", "Undated"]


def test_invalid_close_month_is_reported(admin_client, deals):
    response = admin_client.get(OPPORTUNITIES, {"close_month": "March"})
    assert response.status_code == 200
    assert "close_month" in response.context["filter"].form.errors


def test_agent_sees_own_opportunities_and_no_leads(login_as, agent, deals, stages):
    LeadFactory(name="A lead", status=stages[0], assigned_to=agent)
    assert names(login_as(agent).get(OPPORTUNITIES)) == ["Half cent", "April", "Undated"]


def test_empty_state(admin_client):
    assert "No opportunities yet" in admin_client.get(OPPORTUNITIES).content.decode()


def test_needs_view_permission(login_as, make_user):
    assert login_as(make_user("Finance")).get(OPPORTUNITIES).status_code == 403


def test_query_count_is_constant(assert_constant_queries, admin_user, opportunity_status):
    def add_rows():
        OpportunityFactory.create_batch(3, opportunity_status=opportunity_status,
                                        value=Decimal("10"), probability=20,
                                        assigned_to=admin_user)

    add_rows()
    assert_constant_queries(OPPORTUNITIES, add_rows, user=admin_user)
