from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.models import Activity
from crmconnect.activity.services import activity_record
from tests.factories import ClientFactory, TaskFactory

LOG_URL = "/admin/activity"


def events(response):
    return {row.description for row in response.context["page_obj"]}


def test_url_contract():
    assert reverse("activity:log") == LOG_URL


def test_needs_view_activity(login_as, agent, manager, admin_client):
    assert login_as(agent).get(LOG_URL).status_code == 403
    assert login_as(manager).get(LOG_URL).status_code == 200
    assert admin_client.get(LOG_URL).status_code == 200


def test_shows_who_what_when_record_and_changes(login_as, manager, agent):
    account = ClientFactory(name="Logged Client SRL")
    task = TaskFactory(title="Logged task", assignee=agent, due_date=timezone.localdate())
    activity_record(actor=agent, event="task.updated", record=task, client=account,
                    description="Task “Logged task” updated",
                    changes={"title": ["Before", "Logged task"]})
    response = login_as(manager).get(LOG_URL)
    text = response.text
    assert "task.updated" in text
    assert str(agent) in text
    assert f'href="/admin/tasks/{task.pk}">Task: Logged task</a>' in text
    assert "Logged Client SRL" in text
    assert "Before → Logged task" in text


def test_filters(login_as, manager, agent, other_agent):
    first, second = ClientFactory(), ClientFactory()
    activity_record(actor=agent, event="task.created", description="a", client=first)
    activity_record(actor=agent, event="task.completed", description="b", client=second)
    activity_record(actor=other_agent, event="client.updated", description="c", client=first)
    old = activity_record(actor=other_agent, event="client.created", description="d")
    Activity.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    client = login_as(manager)
    assert events(client.get(LOG_URL)) == {"a", "b", "c", "d"}
    assert events(client.get(LOG_URL, {"event": "task"})) == {"a", "b"}
    assert events(client.get(LOG_URL, {"event": "task.completed"})) == {"b"}
    assert events(client.get(LOG_URL, {"actor": other_agent.pk})) == {"c", "d"}
    assert events(client.get(LOG_URL, {"client": first.pk})) == {"a", "c"}
    today = timezone.localdate()
    assert events(client.get(LOG_URL, {"date_from": today.isoformat()})) == {"a", "b", "c"}
    assert events(client.get(LOG_URL, {"date_to": (today - timedelta(days=1)).isoformat()})) \
        == {"d"}
    filtered = client.get(LOG_URL, {"client": first.pk})
    assert f"Client: {first.name}" in filtered.text


def test_query_count_is_constant(assert_constant_queries, manager, agent):
    account = ClientFactory()

    def add_rows():
        for n in range(5):
            task = TaskFactory(assignee=agent, due_date=timezone.localdate())
            activity_record(actor=agent, event="task.created", record=task, description=f"t{n}")
            activity_record(actor=agent, event="client.updated", record=account,
                            description=f"c{n}", changes={"name": ["a", "b"]})
            activity_record(actor=None, event="system.ran", description=f"s{n}",
                            client=ClientFactory())

    add_rows()
    assert_constant_queries(LOG_URL, add_rows, user=manager)
