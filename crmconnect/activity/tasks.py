from celery import shared_task
from django.utils import timezone

from .models import Task
from .services import task_send_reminder


@shared_task
def send_due_reminders():
    """Beat job: every reminder whose time has come is sent once."""
    due = Task.objects.filter(
        remind_at__lte=timezone.now(), reminded_at__isnull=True, done_at__isnull=True
    ).values_list("pk", flat=True)[:500]
    return sum(task_send_reminder(task_id=pk) for pk in list(due))
