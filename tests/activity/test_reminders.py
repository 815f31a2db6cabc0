import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from crmconnect.activity.models import Notification
from crmconnect.activity.tasks import send_due_reminders
from tests.factories import TaskFactory


@pytest.fixture
def due_reminder(agent):
    return TaskFactory(title="Call the client", assignee=agent, due_date=timezone.localdate(),
                       remind_at=timezone.now() - timedelta(minutes=5))


def test_a_due_reminder_is_sent_once_even_when_the_job_runs_twice(due_reminder, agent):
    TaskFactory(assignee=agent, due_date=timezone.localdate(),
                remind_at=timezone.now() + timedelta(hours=1))
    TaskFactory(assignee=agent, due_date=timezone.localdate(), done_at=timezone.now(),
                remind_at=timezone.now() - timedelta(hours=1))
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    notification = Notification.objects.get()
    assert notification.recipient == agent
    assert notification.message.startswith("Reminder: Call the client")
    assert notification.url == f"/admin/tasks/{due_reminder.pk}"
    due_reminder.refresh_from_db()
    assert due_reminder.reminded_at is not None


def test_changing_the_reminder_time_arms_it_again(due_reminder, agent):
    from crmconnect.activity.services import task_update

    send_due_reminders()
    task_update(actor=agent, task=due_reminder, remind_at=timezone.now() - timedelta(minutes=1))
    assert send_due_reminders() == 1
    assert Notification.objects.count() == 2


def _wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reminder(agent, due_reminder):
    """The beat job through the configured broker (in-memory, or Redis when REDIS_URL is set)
    and a real worker thread."""
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        send_due_reminders.delay()
        assert _wait_for(lambda: Notification.objects.filter(recipient=agent).exists())
    assert Notification.objects.filter(recipient=agent).count() == 1
