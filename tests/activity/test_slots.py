"""What the activity app adds to other pages: dashboard widgets, the client's History and
Tasks tabs, and the menu."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from crmconnect.activity.services import activity_record
from crmconnect.core.navigation import client_tabs, menu_for
from tests.factories import ClientFactory, TaskFactory


def slot_context(slot, key, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    entry = next(entry for entry in slot.visible(request, **kwargs) if entry["key"] == key)
    return entry["context"]


class TestDashboard:
    def test_agent_sees_own_tasks_due_today_and_overdue_count(self, login_as, agent,
                                                               other_agent):
        today = timezone.localdate()
        TaskFactory(title="Call Ionescu", assignee=agent, due_date=today)
        TaskFactory(title="Someone else's call", assignee=other_agent, due_date=today,
                    created_by=agent)
        TaskFactory(title="Finished call", assignee=agent, due_date=today,
                    done_at=timezone.now())
        TaskFactory(title="Late email", assignee=agent, due_date=today - timedelta(days=2))
        TaskFactory(title="Later", assignee=agent, due_date=today + timedelta(days=2))
        response = login_as(agent).get("/admin")
        assert response.status_code == 200
        text = response.text
        assert "Tasks due today" in text
        assert "Call Ionescu" in text
        for absent in ("Someone else's call", "Finished call", "Later"):
            assert absent not in text
        assert "/admin/tasks/list_tasks?due=today&amp;assignee=me" in text
        assert ">1 overdue</a>" in text
        assert ">1 due today</a>" in text

    def test_role_without_tasks_has_no_task_widget(self, login_as, make_user):
        assert "Tasks due today" not in login_as(make_user()).get("/admin").text

    def test_recent_activity_is_own_unless_allowed_the_whole_log(self, login_as, agent,
                                                                 manager):
        activity_record(actor=agent, event="client.updated", description="Agent changed X")
        activity_record(actor=manager, event="client.updated", description="Manager changed Y")
        agent_page = login_as(agent).get("/admin").text
        assert "Agent changed X" in agent_page
        assert "Manager changed Y" not in agent_page
        manager_page = login_as(manager).get("/admin").text
        assert "Agent changed X" in manager_page and "Manager changed Y" in manager_page


def test_menu_entries(agent, manager):
    def labels(user):
        return {item.label for _, items in menu_for(user) for item in items}

    assert "Tasks" in labels(agent)
    assert "Activity log" not in labels(agent)
    assert {"Tasks", "Activity log"} <= labels(manager)


class TestClientTabs:
    @pytest.fixture
    def account(self, agent):
        account = ClientFactory(owner=agent, name="History Client SRL")
        activity_record(actor=agent, event="client.created", record=account,
                        description="Client created")
        activity_record(actor=agent, event="client.updated", record=account,
                        description="Client updated", changes={"city": ["Cluj", "Iași"]})
        activity_record(actor=agent, event="client.updated", record=ClientFactory(),
                        description="Another client updated")
        return account

    def test_history_context_lists_the_clients_activity_newest_first(self, agent, account):
        context = slot_context(client_tabs, "history", agent, client=account)
        assert [row.description for row in context["history_rows"]] == [
            "Client updated", "Client created"]
        assert context["history_more_url"] == f"/admin/activity?client={account.pk}"

    def test_history_is_capped_at_50(self, agent, account):
        for n in range(55):
            activity_record(actor=agent, event="note.added", client=account,
                            description=f"note {n}")
        assert len(slot_context(client_tabs, "history", agent, client=account)
                   ["history_rows"]) == 50

    def test_tasks_tab_lists_open_visible_tasks(self, agent, other_agent, account):
        today = timezone.localdate()
        TaskFactory(title="Open one", assignee=agent, due_date=today, client=account)
        TaskFactory(title="Done one", assignee=agent, due_date=today, client=account,
                    done_at=timezone.now())
        TaskFactory(title="Not mine", assignee=other_agent, due_date=today, client=account)
        context = slot_context(client_tabs, "tasks", agent, client=account)
        assert [task.title for task in context["client_tasks"]] == ["Open one"]
        assert context["add_task_url"] == (
            f"/admin/tasks/add?client={account.pk}&next=%2Fadmin%2Fclients%2F{account.pk}")

    def test_client_page_renders_history_and_tasks(self, login_as, agent, account):
        TaskFactory(title="Send the offer", assignee=agent, due_date=timezone.localdate(),
                    client=account)
        response = login_as(agent).get(f"/admin/clients/{account.pk}")
        assert response.status_code == 200
        text = response.text
        assert "History" in text
        assert "Client updated" in text and "Client created" in text
        assert "Cluj → Iași" in text
        assert "Another client updated" not in text
        assert "Send the offer" in text
        assert f"/admin/tasks/add?client={account.pk}&amp;next=" in text
