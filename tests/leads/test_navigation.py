import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crmconnect.core.navigation import menu_for
from crmconnect.staff import roles
from leads import queries
from leads.models import Lead
from tests.factories import LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")
SETTINGS = ["Lead pipelines", "Lead statuses", "Lead sources", "Lost reasons",
            "Opportunity statuses", "Custom fields"]


def labels(user, section):
    return [item.label for name, items in menu_for(user) if name == section for item in items]


def test_agent_menu_has_leads_and_opportunities(agent):
    crm = labels(agent, "CRM")
    assert "Leads" in crm and "Opportunities" in crm


def test_administrator_sees_every_lead_setting(admin_user):
    assert set(SETTINGS) <= set(labels(admin_user, "Settings"))


def test_finance_sees_no_leads(make_user):
    finance = make_user(roles.FINANCE)
    crm = labels(finance, "CRM")
    assert "Leads" not in crm and "Opportunities" not in crm
    assert not set(SETTINGS) & set(labels(finance, "Settings"))


def test_menu_links_render(admin_client):
    content = admin_client.get(DASHBOARD).content.decode()
    for name in ["leads:board", "leads:opportunities", "leads:pipelines", "leads:statuses",
                 "leads:sources", "leads:lost_reasons", "leads:opportunity_statuses",
                 "leads:custom_fields"]:
        assert f'href="{reverse(name)}"' in content


def test_uncontacted_widget_lists_new_leads_of_the_user(login_as, agent, other_agent, stages):
    LeadFactory(name="Fresh", status=stages[0], assigned_to=agent)
    LeadFactory(name="Called", status=stages[0], assigned_to=agent,
                last_contacted_at=timezone.now())
    old = LeadFactory(name="Old", status=stages[0], assigned_to=agent)
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(
        hours=25))
    LeadFactory(name="Someone else's", status=stages[0], assigned_to=other_agent)
    LeadFactory(name="Junk", status=stages[0], assigned_to=agent, is_junk=True)
    OpportunityFactory(name="Opportunity", status=stages[0], assigned_to=agent)

    response = login_as(agent).get(DASHBOARD)
    [widget] = [w for w in response.context["widgets"] if w["key"] == "uncontacted-leads"]
    assert [lead.name for lead in widget["context"]["uncontacted_leads"]] == ["Fresh"]
    content = response.content.decode()
    assert "New uncontacted leads" in content
    assert f"{reverse('leads:list')}?filter=uncontacted" in content
    assert "1 uncontacted in the last 24 h" in content


def test_uncontacted_widget_count_is_capped(login_as, agent, stages, monkeypatch):
    monkeypatch.setattr(queries, "WIDGET_COUNT_CAP", 3)
    LeadFactory.create_batch(5, status=stages[0], assigned_to=agent)
    assert "3+ uncontacted" in login_as(agent).get(DASHBOARD).content.decode()


def test_dashboard_shows_appointments_widget(login_as, agent):
    content = login_as(agent).get(DASHBOARD).content.decode()
    assert "Upcoming appointments" in content


def test_finance_dashboard_has_no_lead_widgets(login_as, make_user):
    content = login_as(make_user(roles.FINANCE)).get(DASHBOARD).content.decode()
    assert "New uncontacted leads" not in content
    assert "Upcoming appointments" not in content


def test_header_search_finds_visible_leads_and_opportunities(login_as, agent, other_agent,
                                                             stages):
    LeadFactory(name="Ana Pop", company="Alfa SRL", status=stages[0], assigned_to=agent)
    OpportunityFactory(name="Ana Deal", company="Alfa SRL", status=stages[0],
                       assigned_to=agent)
    LeadFactory(name="Ana Other", company="Alfa SRL", status=stages[0],
                assigned_to=other_agent)
    response = login_as(agent).get(reverse("core:search"), {"q": "alfa"},
                                   headers={"HX-Request": "true"})
    [group] = [g for g in response.context["groups"] if g["label"] == "Leads"]
    assert sorted(row.name for row in group["rows"]) == ["Ana Deal", "Ana Pop"]
    content = response.content.decode()
    assert "Opportunity" in content


def test_finance_search_has_no_leads(login_as, make_user, stages):
    LeadFactory(name="Ana Pop", status=stages[0])
    response = login_as(make_user(roles.FINANCE)).get(reverse("core:search"), {"q": "ana"})
    assert "Leads" not in [group["label"] for group in response.context["groups"]]


def test_header_search_orders_a_bounded_set_of_matches(login_as, manager, stages, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 3)
    for n in range(5):
        LeadFactory(status=stages[0], name=f"Needle {n}")
    LeadFactory(status=stages[0], name="Haystack")
    rows = list(queries.lead_search(manager, "needle"))
    assert len(rows) == 3
    assert all(row.name.startswith("Needle") for row in rows)
    assert [row.created_at for row in rows] == sorted((r.created_at for r in rows), reverse=True)
