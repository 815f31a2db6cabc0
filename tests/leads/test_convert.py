"""Converting a lead to an opportunity and to a client from the record page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from crmconnect.clients.models import Client
from leads.models import Lead, Tag

from ..factories import UserFactory


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def rich_lead(lead, source):
    lead.company, lead.phone, lead.position = "Pop Design SRL", "+40 744 000 111", "CEO"
    lead.city, lead.value, lead.source = "Cluj-Napoca", Decimal("5000"), source
    lead.custom_values = {"segment": "SMB"}
    lead.save()
    lead.tags.add(Tag.objects.create(name="hot"))
    return lead


# --- to an opportunity -------------------------------------------------------------------

def test_the_convert_form_proposes_the_lead_value(login_as, agent, rich_lead):
    page = login_as(agent).get(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity")
    assert page.status_code == 200
    assert page.context["form"].initial["value"] == Decimal("5000")
    assert "assigned_to" not in page.context["form"].fields  # own-scope users keep it


def test_convert_to_an_opportunity(login_as, agent, rich_lead, opportunity_status):
    client = login_as(agent)
    response = client.post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity", {
        "opportunity_status": opportunity_status.pk, "value": "8000", "probability": "25",
        "close_date": "2030-03-31"})
    opportunity = Lead.objects.opportunities().get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/opportunities/{opportunity.pk}"
    assert opportunity.converted_from == rich_lead
    for field in ["name", "company", "email", "phone", "position", "city", "source",
                  "assigned_to", "custom_values"]:
        assert getattr(opportunity, field) == getattr(rich_lead, field), field
    assert [tag.name for tag in opportunity.tags.all()] == ["hot"]
    assert opportunity.value == Decimal("8000") and opportunity.probability == 25

    before = {field: getattr(rich_lead, field) for field in ["status_id", "value", "lost_at"]}
    rich_lead.refresh_from_db()
    assert {field: getattr(rich_lead, field) for field in before} == before
    assert rich_lead.is_active and not rich_lead.is_opportunity

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "2,000.00 RON" in html  # weighted value: 8000 × 25 %
    assert f'href="/admin/leads/{rich_lead.pk}"' in html  # back to its lead
    assert "Opportunity created from lead" in messages_of(page)[0]
    lead_page = client.get(f"/admin/leads/{rich_lead.pk}").content.decode()
    assert f'href="/admin/opportunities/{opportunity.pk}"' in lead_page


def test_the_value_defaults_to_the_lead_value(login_as, agent, rich_lead, opportunity_status):
    login_as(agent).post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity",
                         {"opportunity_status": opportunity_status.pk})
    assert Lead.objects.opportunities().get().value == Decimal("5000")


def test_a_bad_probability_is_refused(login_as, agent, rich_lead, opportunity_status):
    response = login_as(agent).post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity", {
        "opportunity_status": opportunity_status.pk, "probability": "120"})
    assert response.status_code == 200
    assert "probability" in response.context["form"].errors
    assert not Lead.objects.opportunities().exists()


def test_a_manager_picks_the_owner(login_as, manager, other_agent, rich_lead,
                                   opportunity_status):
    login_as(manager).post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity", {
        "opportunity_status": opportunity_status.pk, "assigned_to": other_agent.pk})
    assert Lead.objects.opportunities().get().assigned_to == other_agent


def test_an_opportunity_is_not_converted_again(login_as, agent, rich_lead,
                                               opportunity_status):
    client = login_as(agent)
    client.post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity",
                {"opportunity_status": opportunity_status.pk})
    opportunity = Lead.objects.opportunities().get()
    response = client.get(f"/admin/leads/{opportunity.pk}/convert-to-opportunity",
                          follow=True)
    assert "This is already an opportunity." in messages_of(response)
    assert Lead.objects.opportunities().count() == 1


def test_another_agents_lead_cannot_be_converted(login_as, other_agent, rich_lead,
                                                 opportunity_status):
    response = login_as(other_agent).post(
        f"/admin/leads/{rich_lead.pk}/convert-to-opportunity",
        {"opportunity_status": opportunity_status.pk})
    assert response.status_code == 404
    assert not Lead.objects.opportunities().exists()


# --- to a client -------------------------------------------------------------------------

def test_convert_to_a_client(login_as, agent, rich_lead):
    client = login_as(agent)
    response = client.post(f"/admin/leads/{rich_lead.pk}/convert-to-client")
    created = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.name == "Pop Design SRL" and created.owner == agent
    contact = created.contacts.get()
    assert contact.is_primary and contact.email == rich_lead.email
    rich_lead.refresh_from_db()
    assert rich_lead.client == created and rich_lead.converted_at is not None
    assert Lead.objects.converted().filter(pk=rich_lead.pk).exists()
    assert "converted to the client" in messages_of(client.get(response["Location"]))[0]

    html = client.get(f"/admin/leads/{rich_lead.pk}").content.decode()
    assert f'href="{created.get_absolute_url()}"' in html
    assert "Convert to Client" not in html

    again = client.post(f"/admin/leads/{rich_lead.pk}/convert-to-client", follow=True)
    assert any("Already converted" in text for text in messages_of(again))
    assert Client.objects.count() == 1


def test_without_permission_to_add_clients_nothing_is_created(login_as, rich_lead, agent):
    group = Group.objects.create(name="Leads only")
    group.permissions.add(*Permission.objects.filter(
        codename__in=["view_lead", "change_lead", "view_all_lead"]))
    user = UserFactory()
    user.groups.add(group)
    client = login_as(user)
    assert "Convert to Client" not in client.get(
        f"/admin/leads/{rich_lead.pk}").content.decode()
    response = client.post(f"/admin/leads/{rich_lead.pk}/convert-to-client", follow=True)
    assert any("permission to add clients" in text for text in messages_of(response))
    assert not Client.objects.exists()
    rich_lead.refresh_from_db()
    assert rich_lead.client is None


def test_a_converted_opportunity_links_its_client(login_as, agent, rich_lead,
                                                  opportunity_status):
    client = login_as(agent)
    client.post(f"/admin/leads/{rich_lead.pk}/convert-to-opportunity",
                {"opportunity_status": opportunity_status.pk})
    opportunity = Lead.objects.opportunities().get()
    response = client.post(f"/admin/leads/{opportunity.pk}/convert-to-client")
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.client is not None


def test_convert_is_a_post(login_as, agent, rich_lead):
    response = login_as(agent).get(f"/admin/leads/{rich_lead.pk}/convert-to-client")
    assert response.status_code == 405
    assert not Client.objects.exists()
