import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from crmconnect.activity.models import Activity
from leads.models import Lead
from tests.factories import LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
BULK = reverse("leads:bulk")
BACK = f"{reverse('leads:list')}?source=1&o=name"


def bulk(client, leads, action, **data):
    return client.post(BULK, {"ids": [lead.pk for lead in leads], "action": action,
                              "next": BACK, **data})


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def mine(stages, agent):
    return LeadFactory.create_batch(2, status=stages[0], assigned_to=agent)


def test_assign(login_as, manager, mine, other_agent):
    response = bulk(login_as(manager), mine, "assign", assignee=other_agent.pk)
    assert response.status_code == 302
    assert response["Location"] == BACK
    assert message_texts(response) == ["2 updated, 0 refused."]
    assert set(Lead.objects.values_list("assigned_to", flat=True)) == {other_agent.pk}
    assert Activity.objects.filter(event="lead.assigned").count() == 2


def test_change_status_refuses_leads_of_another_pipeline(login_as, manager, mine, stages,
                                                         other_pipeline):
    elsewhere = LeadFactory(name="Partner lead", status=other_pipeline.statuses.get())
    response = bulk(login_as(manager), [*mine, elsewhere], "status", status=stages[3].pk)
    [text] = message_texts(response)
    assert text.startswith("2 updated, 1 refused: Partner lead")
    assert "another pipeline" in text
    assert [lead.status for lead in Lead.objects.filter(pk__in=[m.pk for m in mine])] == [
        stages[3], stages[3]]
    elsewhere.refresh_from_db()
    assert elsewhere.status.name == "Intro"


def test_mark_lost_needs_a_reason(login_as, agent, mine, lost_reason):
    client = login_as(agent)
    response = bulk(client, mine, "lost")
    assert message_texts(response) == ["Choose why the leads were lost."]
    assert not Lead.objects.lost().exists()
    client.get(BACK)  # shows (and so consumes) the message
    response = bulk(client, mine, "lost", reason=lost_reason.pk)
    assert message_texts(response) == ["2 updated, 0 refused."]
    assert Lead.objects.lost().count() == 2
    assert set(Lead.objects.values_list("lost_reason", flat=True)) == {lost_reason.pk}


def test_mark_junk(login_as, agent, mine):
    bulk(login_as(agent), mine[:1], "junk")
    assert list(Lead.objects.junk()) == mine[:1]


def test_only_visible_leads_count(login_as, agent, mine, stages, other_agent):
    theirs = LeadFactory(status=stages[0], assigned_to=other_agent)
    opportunity = OpportunityFactory(status=stages[0], assigned_to=agent)
    response = bulk(login_as(agent), [*mine, theirs, opportunity], "junk")
    assert message_texts(response) == [
        "2 updated, 1 refused: 2 not found or outside your leads."]
    theirs.refresh_from_db()
    opportunity.refresh_from_db()
    assert not theirs.is_junk and not opportunity.is_junk


def test_delete_needs_the_delete_permission(login_as, agent, mine):
    response = bulk(login_as(agent), mine, "delete")
    assert response.status_code == 403
    assert Lead.objects.count() == 2


def test_administrator_deletes(admin_client, mine):
    response = bulk(admin_client, mine, "delete")
    assert message_texts(response) == ["2 updated, 0 refused."]
    assert not Lead.objects.exists()
    assert Activity.objects.filter(event="lead.deleted").count() == 2


def test_nothing_selected(login_as, agent):
    response = login_as(agent).post(BULK, {"action": "junk", "next": BACK})
    assert response["Location"] == BACK
    assert message_texts(response) == ["Select at least one lead."]


def test_lost_lead_refused_to_move_others_moved(login_as, agent, mine, stages, lost_reason):
    lost = mine[0]
    Lead.objects.filter(pk=lost.pk).update(lost_at=lost.created_at, lost_reason=lost_reason)
    response = bulk(login_as(agent), mine, "status", status=stages[1].pk)
    [text] = message_texts(response)
    assert text.startswith("1 updated, 1 refused:")
    assert "restore it first" in text


def test_back_link_stays_on_this_site(login_as, agent, mine):
    response = login_as(agent).post(BULK, {"ids": [mine[0].pk], "action": "junk",
                                           "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("leads:list")


def test_bulk_needs_post_and_change_permission(login_as, agent, make_user, mine):
    assert login_as(agent).get(BULK).status_code == 405
    assert bulk(login_as(make_user("Finance")), mine, "junk").status_code == 403


def test_bulk_form_offers_delete_to_administrators(admin_client, mine):
    content = admin_client.get(reverse("leads:list")).content.decode()
    assert 'value="delete"' in content
    assert 'data-confirm="Apply this action to the selected leads?"' in content
