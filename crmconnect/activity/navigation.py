from urllib.parse import urlencode

from django.urls import reverse

from crmconnect.core.navigation import MenuItem, client_tabs, dashboard_widgets, register_menu

from . import queries

register_menu(
    MenuItem(section="CRM", label="Tasks", url_name="activity:tasks",
             permissions=("activity.view_task",), icon="check2-square", order=30),
    MenuItem(section="Settings", label="Activity log", url_name="activity:log",
             permissions=("activity.view_activity",), icon="clock-history", order=90),
)


def _tasks_due_today(request):
    return queries.tasks_due_today(request.user)


def _recent_activity(request):
    return {"recent_activity": queries.recent_activity(request.user)}


def _client_history(request, *, client):
    return {"history_rows": queries.client_history(client),
            "history_more_url": f"{reverse('activity:log')}?client={client.pk}"}


def _client_tasks(request, *, client):
    client_url = client.get_absolute_url()
    query = urlencode({"client": client.pk, "next": client_url})
    return {"client_tasks": queries.client_open_tasks(request.user, client),
            "client_url": client_url,
            "add_task_url": f"{reverse('activity:task_add')}?{query}"}


dashboard_widgets.register(
    key="tasks-due-today", title="Tasks due today",
    template="activity/widgets/tasks_due_today.html",
    permissions=("activity.view_task",), context=_tasks_due_today, order=20,
)
dashboard_widgets.register(
    key="recent-activity", title="Recent activity",
    template="activity/widgets/recent_activity.html",
    context=_recent_activity, order=90,
)
client_tabs.register(
    key="history", title="History", template="activity/tabs/client_history.html",
    context=_client_history, order=90,
)
client_tabs.register(
    key="tasks", title="Tasks", template="activity/tabs/client_tasks.html",
    permissions=("activity.view_task",), context=_client_tasks, order=80,
)
