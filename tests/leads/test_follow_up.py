"""Follow-up reminders on a lead: a task linked to the lead; a lead without a planned one is
flagged "No follow-up date"."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.models import Activity, Task
from crmconnect.activity.services import task_create, task_set_done
from leads import interactions as services
from leads.models import Lead
from tests.factories import LeadFactory

HTMX = {"HX-Request": "true"}
FLAG = "No follow-up date"


def url(lead):
    return reverse("leads:follow_up", args=[lead.pk])


def today():
    return timezone.localdate()


@pytest.fixture
def agent_client(login_as, agent):
    return login_as(agent)


def test_url_contract():
    assert reverse("leads:follow_up", args=[5]) == "/admin/leads/5/follow-up"


class TestSetFollowUp:
    def test_creates_a_task_linked_to_the_lead_and_clears_the_flag(self, agent_client, agent,
                                                                   lead):
        assert FLAG in agent_client.get(lead.get_absolute_url()).content.decode()
        due = today() + timedelta(days=2)
        response = agent_client.post(url(lead), {"follow-up-due_date": due.isoformat(),
                                                 "follow-up-title": "Call back about the demo"},
                                     headers=HTMX)
        assert response.status_code == 200
        task = Task.objects.get()
        assert task.record == lead and task.assignee == agent and task.due_date == due
        assert task.title == "Call back about the demo" and task.created_by == agent
        html = response.content.decode()
        assert FLAG not in html and due.strftime("%d.%m.%Y") in html
        assert response.context["needs_follow_up"] is False
        assert response.context["next_follow_up"] == due
        assert Activity.objects.filter(event="lead.follow_up_set", object_id=lead.pk).exists()
        assert FLAG not in agent_client.get(lead.get_absolute_url()).content.decode()

        tasks = agent_client.get("/admin/tasks/list_tasks").content.decode()
        assert "Call back about the demo" in tasks and str(lead) in tasks

    def test_the_default_assignee_is_the_leads_agent(self, login_as, manager, agent, lead):
        login_as(manager).post(url(lead), {"follow-up-due_date": today().isoformat()})
        task = Task.objects.get()
        assert task.assignee == agent and task.title == "Follow up"

    def test_a_reminder_time_on_the_follow_up_date(self, agent_client, lead):
        due = today() + timedelta(days=1)
        agent_client.post(url(lead), {"follow-up-due_date": due.isoformat(),
                                      "follow-up-remind_time": "09:30"})
        task = Task.objects.get()
        assert task.remind_at == timezone.make_aware(datetime.combine(due, time(9, 30)))

    def test_without_htmx_it_redirects_to_the_activity_tab(self, agent_client, lead):
        response = agent_client.post(url(lead), {"follow-up-due_date": today().isoformat()},
                                     follow=True)
        assert response.redirect_chain[0][0] == f"{lead.get_absolute_url()}#activity"
        assert any("Follow-up" in str(m) for m in response.context["messages"])


class TestRefused:
    def test_a_missing_date(self, agent_client, lead):
        response = agent_client.post(url(lead), {"follow-up-title": "x"}, headers=HTMX)
        assert "Choose the follow-up date." in response.content.decode()
        assert not Task.objects.exists()

    def test_a_date_in_the_past(self, agent_client, lead):
        response = agent_client.post(url(lead), {
            "follow-up-due_date": (today() - timedelta(days=1)).isoformat(),
            "follow-up-title": "Late"}, headers=HTMX)
        html = response.content.decode()
        assert "The follow-up date is in the past" in html and 'value="Late"' in html
        assert not Task.objects.exists()

    def test_an_assignee_who_cannot_see_the_lead(self, agent_client, other_agent, lead):
        response = agent_client.post(url(lead), {
            "follow-up-due_date": today().isoformat(), "follow-up-assignee": other_agent.pk},
            headers=HTMX)
        assert "cannot see this lead" in response.content.decode()
        assert not Task.objects.exists()

    def test_another_agents_lead_is_404(self, login_as, other_agent, lead):
        response = login_as(other_agent).post(url(lead), {
            "follow-up-due_date": today().isoformat()})
        assert response.status_code == 404
        assert not Task.objects.exists()

    def test_a_get_is_405(self, agent_client, lead):
        assert agent_client.get(url(lead)).status_code == 405


class TestFlag:
    def link(self, lead, due, assignee):
        return task_create(actor=assignee, title="Follow up", assignee=assignee, due_date=due,
                           record=lead)

    def test_a_lead_without_open_tasks_needs_a_follow_up(self, lead):
        assert services.follow_up_state(lead) == (None, True)

    def test_a_task_due_today_or_later_is_a_planned_follow_up(self, agent, lead):
        task = self.link(lead, today(), agent)
        assert services.follow_up_state(lead) == (task, False)

    def test_done_or_overdue_tasks_do_not_count(self, agent, lead):
        task_set_done(actor=agent, task=self.link(lead, today() + timedelta(days=3), agent))
        self.link(lead, today() - timedelta(days=1), agent)
        assert services.follow_up_state(lead) == (None, True)

    def test_a_lost_lead_is_not_flagged(self, stages, agent, lost_reason):
        lost = LeadFactory(status=stages[0], assigned_to=agent, lost_at=timezone.now(),
                           lost_reason=lost_reason)
        assert services.follow_up_state(lost) == (None, False)

    def test_the_queryset_of_leads_without_follow_up(self, stages, agent, lost_reason):
        planned, done, bare = (LeadFactory(status=stages[0], assigned_to=agent)
                               for _ in range(3))
        LeadFactory(status=stages[0], assigned_to=agent, is_junk=True)
        self.link(planned, today() + timedelta(days=1), agent)
        task_set_done(actor=agent, task=self.link(done, today(), agent))
        # A task of another kind of record with the same id is not a follow-up of `bare`.
        Task.objects.create(title="x", assignee=agent, due_date=today(), object_id=bare.pk,
                            content_type=ContentType.objects.get_for_model(agent))
        flagged = services.leads_without_follow_up(Lead.objects.all())
        assert set(flagged) == {done, bare}
