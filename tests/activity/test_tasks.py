from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.models import Activity, Notification, Task
from tests.factories import ClientFactory, TaskFactory

LIST_URL = "/admin/tasks/list_tasks"


def listed(response):
    return {task.title for task in response.context["page_obj"]}


def test_url_contract():
    assert reverse("activity:tasks") == LIST_URL
    assert reverse("activity:task_add") == "/admin/tasks/add"
    assert reverse("activity:task_edit", args=[3]) == "/admin/tasks/3"
    assert reverse("activity:task_done", args=[3]) == "/admin/tasks/3/done"
    assert reverse("activity:task_delete", args=[3]) == "/admin/tasks/3/delete"


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_administrator_sees_the_list(admin_client):
    assert admin_client.get(LIST_URL).status_code == 200


def test_role_without_task_permission_is_refused(login_as, make_user):
    assert login_as(make_user()).get(LIST_URL).status_code == 403


class TestDueFilters:
    @pytest.fixture
    def tasks(self, agent, today):
        return {
            "today": TaskFactory(title="today", assignee=agent, due_date=today),
            "yesterday": TaskFactory(title="yesterday", assignee=agent,
                                     due_date=today - timedelta(days=1)),
            "last month": TaskFactory(title="last month", assignee=agent,
                                      due_date=today - timedelta(days=30)),
            "tomorrow": TaskFactory(title="tomorrow", assignee=agent,
                                    due_date=today + timedelta(days=1)),
            "done today": TaskFactory(title="done today", assignee=agent, due_date=today,
                                      done_at="2020-01-01T10:00Z"),
            "done late": TaskFactory(title="done late", assignee=agent,
                                     due_date=today - timedelta(days=3),
                                     done_at="2020-01-01T10:00Z"),
        }

    def test_due_today(self, login_as, agent, tasks):
        response = login_as(agent).get(LIST_URL, {"due": "today"})
        assert listed(response) == {"today"}
        assert 'badge text-bg-warning">today' in response.text

    def test_overdue(self, login_as, agent, tasks):
        response = login_as(agent).get(LIST_URL, {"due": "overdue"})
        assert listed(response) == {"yesterday", "last month"}
        assert "text-danger" in response.text

    def test_default_shows_open_tasks(self, login_as, agent, tasks):
        response = login_as(agent).get(LIST_URL)
        assert listed(response) == {"today", "yesterday", "last month", "tomorrow"}

    def test_status_done_and_all(self, login_as, agent, tasks):
        client = login_as(agent)
        assert listed(client.get(LIST_URL, {"status": "done"})) == {"done today", "done late"}
        assert listed(client.get(LIST_URL, {"status": "all"})) == set(tasks)

    def test_search_and_sort(self, login_as, agent, tasks):
        client = login_as(agent)
        assert listed(client.get(LIST_URL, {"q": "MONTH"})) == {"last month"}
        response = client.get(LIST_URL, {"o": "-due_date"})
        titles = [task.title for task in response.context["page_obj"]]
        assert titles == ["tomorrow", "today", "yesterday", "last month"]


class TestScope:
    def test_agent_sees_tasks_assigned_to_or_created_by_them(
            self, login_as, agent, other_agent, today):
        TaskFactory(title="mine", assignee=agent, due_date=today)
        TaskFactory(title="delegated", assignee=other_agent, created_by=agent, due_date=today)
        TaskFactory(title="theirs", assignee=other_agent, due_date=today)
        assert listed(login_as(agent).get(LIST_URL)) == {"mine", "delegated"}

    def test_manager_sees_all(self, login_as, manager, agent, other_agent, today):
        TaskFactory(title="a", assignee=agent, due_date=today)
        TaskFactory(title="b", assignee=other_agent, due_date=today)
        assert listed(login_as(manager).get(LIST_URL)) == {"a", "b"}

    def test_assignee_filter(self, login_as, manager, agent, today):
        TaskFactory(title="manager's", assignee=manager, due_date=today)
        TaskFactory(title="agent's", assignee=agent, due_date=today)
        client = login_as(manager)
        assert listed(client.get(LIST_URL, {"assignee": "me"})) == {"manager's"}
        assert listed(client.get(LIST_URL, {"assignee": agent.pk})) == {"agent's"}

    def test_someone_elses_task_is_404(self, login_as, agent, other_agent, today):
        task = TaskFactory(assignee=other_agent, due_date=today)
        client = login_as(agent)
        assert client.get(f"/admin/tasks/{task.pk}").status_code == 404
        assert client.post(f"/admin/tasks/{task.pk}", {"title": "x"}).status_code == 404
        assert client.post(f"/admin/tasks/{task.pk}/done").status_code == 404
        assert Task.objects.get(pk=task.pk).done_at is None

    def test_cannot_link_a_client_out_of_scope(self, login_as, agent, other_agent):
        hidden = ClientFactory(owner=other_agent)
        assert login_as(agent).get("/admin/tasks/add", {"client": hidden.pk}).status_code == 404


def task_data(assignee, due_date, **extra):
    return {"title": "Call back about the offer", "assignee": assignee.pk,
            "due_date": due_date.isoformat(), "remind_at": "", "description": "", **extra}


class TestCreate:
    def test_form_defaults_to_the_current_user(self, login_as, agent):
        response = login_as(agent).get("/admin/tasks/add")
        assert response.status_code == 200
        assert response.context["form"]["assignee"].value() == agent.pk
        assert 'type="datetime-local"' in response.text

    def test_create_for_someone_else_logs_and_notifies(self, login_as, agent, other_agent,
                                                       today):
        client = login_as(agent)
        response = client.post("/admin/tasks/add", task_data(
            other_agent, today, remind_at=f"{today.isoformat()}T08:30"))
        assert response.status_code == 302
        assert response["Location"] == LIST_URL
        task = Task.objects.get()
        assert (task.assignee, task.created_by, task.due_date) == (other_agent, agent, today)
        assert task.remind_at == timezone.make_aware(datetime.combine(today, time(8, 30)))
        assert Activity.objects.filter(event="task.created", actor=agent,
                                       object_id=task.pk).exists()
        notification = Notification.objects.get(recipient=other_agent)
        assert task.title in notification.message
        assert notification.url == f"/admin/tasks/{task.pk}"

    def test_own_task_notifies_nobody(self, login_as, agent, today):
        login_as(agent).post("/admin/tasks/add", task_data(agent, today))
        assert Task.objects.count() == 1
        assert not Notification.objects.exists()

    def test_linked_to_client_and_back_to_next(self, login_as, agent, today):
        account = ClientFactory(owner=agent)
        client = login_as(agent)
        page = client.get("/admin/tasks/add", {"client": account.pk,
                                               "next": f"/admin/clients/{account.pk}"})
        assert account.name in page.text
        response = client.post("/admin/tasks/add", task_data(
            agent, today, client=account.pk, next=f"/admin/clients/{account.pk}"))
        assert response["Location"] == f"/admin/clients/{account.pk}"
        assert Task.objects.get().client == account
        assert Activity.objects.get(event="task.created").client == account

    def test_next_to_another_site_is_ignored(self, login_as, agent, today):
        response = login_as(agent).post("/admin/tasks/add", task_data(
            agent, today, next="https://evil.example.com/"))
        assert response["Location"] == LIST_URL

    def test_missing_title_and_bad_date_rerender_with_errors(self, login_as, agent):
        response = login_as(agent).post("/admin/tasks/add", {
            "title": "", "assignee": agent.pk, "due_date": "2025-13-45",
            "remind_at": "tomorrow-ish", "description": "keep me"})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["title"] == ["This field is required."]
        assert errors["due_date"] == ["Enter a valid date."]
        assert errors["remind_at"] == ["Enter a valid date/time."]
        assert "is-invalid" in response.text
        assert "keep me" in response.text
        assert not Task.objects.exists()
        assert not Activity.objects.exists()

    def test_reminder_after_due_date_is_refused(self, login_as, agent, today):
        response = login_as(agent).post("/admin/tasks/add", task_data(
            agent, today, remind_at=f"{(today + timedelta(days=2)).isoformat()}T09:00"))
        assert response.status_code == 200
        assert "must not be later than the due date" in response.text
        assert not Task.objects.exists()

    def test_client_from_another_owner_is_refused_on_post(self, login_as, agent, other_agent,
                                                          today):
        hidden = ClientFactory(owner=other_agent)
        response = login_as(agent).post("/admin/tasks/add",
                                        task_data(agent, today, client=hidden.pk))
        assert response.status_code == 200
        assert "client" in response.context["form"].errors
        assert not Task.objects.exists()


class TestEditDoneDelete:
    def test_edit_records_old_and_new_values(self, login_as, agent, today):
        task = TaskFactory(title="Old title", assignee=agent, created_by=agent, due_date=today)
        client = login_as(agent)
        assert client.get(f"/admin/tasks/{task.pk}").status_code == 200
        response = client.post(f"/admin/tasks/{task.pk}", task_data(
            agent, today + timedelta(days=1), title="New title"))
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.title == "New title"
        row = Activity.objects.get(event="task.updated")
        assert row.changes["title"] == ["Old title", "New title"]
        assert row.changes["due_date"] == [str(today), str(today + timedelta(days=1))]

    def test_done_is_post_only(self, login_as, agent, today):
        task = TaskFactory(assignee=agent, due_date=today)
        assert login_as(agent).get(f"/admin/tasks/{task.pk}/done").status_code == 405
        task.refresh_from_db()
        assert task.done_at is None

    def test_done_and_reopen_write_activity(self, login_as, agent, today):
        task = TaskFactory(assignee=agent, due_date=today)
        client = login_as(agent)
        response = client.post(f"/admin/tasks/{task.pk}/done", {"done": "1", "next": LIST_URL})
        assert response.status_code == 302
        assert response["Location"] == LIST_URL
        task.refresh_from_db()
        assert task.is_done
        client.post(f"/admin/tasks/{task.pk}/done", {"done": "0"})
        task.refresh_from_db()
        assert not task.is_done
        assert list(Activity.objects.order_by("id").values_list("event", flat=True)) == [
            "task.completed", "task.reopened"]

    def test_done_twice_records_once(self, login_as, agent, today):
        task = TaskFactory(assignee=agent, due_date=today)
        client = login_as(agent)
        for _ in range(2):
            client.post(f"/admin/tasks/{task.pk}/done", {"done": "1"})
        assert Activity.objects.filter(event="task.completed").count() == 1

    def test_done_with_htmx_returns_the_row(self, login_as, agent, today):
        task = TaskFactory(title="Row task", assignee=agent, due_date=today)
        response = login_as(agent).post(f"/admin/tasks/{task.pk}/done",
                                        {"done": "1", "next": LIST_URL}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.text.lstrip().startswith(f'<tr id="task-{task.pk}"')
        assert "Reopen" in response.text
        assert "<html" not in response.text

    def test_delete_needs_permission(self, login_as, agent, manager, today):
        task = TaskFactory(assignee=agent, due_date=today)
        assert login_as(agent).post(f"/admin/tasks/{task.pk}/delete").status_code == 403
        assert login_as(manager).get(f"/admin/tasks/{task.pk}/delete").status_code == 405
        response = login_as(manager).post(f"/admin/tasks/{task.pk}/delete")
        assert response.status_code == 302
        assert not Task.objects.exists()
        row = Activity.objects.get(event="task.deleted")
        assert row.actor == manager
        assert row.changes["title"] == [task.title, None]


def test_list_query_count_is_constant(assert_constant_queries, agent, other_agent, today):
    account = ClientFactory(owner=agent)

    def add_rows():
        for n in range(5):
            TaskFactory(assignee=agent, due_date=today - timedelta(days=n),
                        client=account if n % 2 else None)
            TaskFactory(assignee=other_agent, created_by=agent, due_date=today,
                        client=ClientFactory(owner=agent))

    add_rows()
    assert_constant_queries(LIST_URL, add_rows, user=agent)
    assert_constant_queries(f"{LIST_URL}?status=all&due=overdue", add_rows, user=agent)


def test_related_record_links_to_the_client(login_as, agent, today):
    account = ClientFactory(owner=agent, name="Linked Client SRL")
    TaskFactory(assignee=agent, due_date=today, client=account)
    response = login_as(agent).get(LIST_URL)
    assert f'href="/admin/clients/{account.pk}">Linked Client SRL</a>' in response.text
