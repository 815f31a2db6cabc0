"""Read side of the activity app: the querysets its pages, widgets and tabs show."""

from django.contrib.contenttypes.models import ContentType

from .models import Activity, Task

DASHBOARD_TASKS = 10
RECENT_ACTIVITY = 10
CLIENT_HISTORY = 50
RECORD_HISTORY = 50


def task_rows(user):
    """Tasks the user may see, with everything a list row shows loaded up front."""
    return (Task.objects.visible_to(user)
            .select_related("assignee", "client", "content_type")
            .prefetch_related("record"))


def activity_rows():
    return (Activity.objects.select_related("actor", "client", "content_type")
            .prefetch_related("record"))


def notifications_for(user):
    return user.notifications.select_related("actor")


def tasks_due_today(user):
    """The user's own open tasks due today (the dashboard's follow-ups) and how many of
    theirs are overdue."""
    mine = Task.objects.filter(assignee=user)
    due_today = mine.due_today().select_related("client")
    return {
        "due_today": due_today[:DASHBOARD_TASKS],
        "due_today_count": due_today.count(),
        "overdue_count": mine.overdue().count(),
    }


def recent_activity(user):
    rows = Activity.objects.select_related("actor")
    if not user.has_perm("activity.view_activity"):
        rows = rows.filter(actor=user)
    return rows[:RECENT_ACTIVITY]


def client_history(client):
    return Activity.objects.filter(client=client).select_related("actor")[:CLIENT_HISTORY]


def client_open_tasks(user, client):
    return Task.objects.visible_to(user).open().filter(client=client).select_related("assignee")


def record_history(record, rows=RECORD_HISTORY):
    """The newest activity-log rows of one record (its History tab)."""
    return (Activity.objects
            .filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
            .select_related("actor")[:rows])
