"""Writing the activity log and notifications; creating and closing tasks."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .events import task_completed, task_created
from .models import Activity, Notification, Task


def record_link(record, client):
    if record is None:
        return {"content_type": None, "object_id": None, "client": client}
    if client is None:
        client = getattr(record, "client", None)
        if client is None and record._meta.label == "clients.Client":
            client = record
    return {
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
        "client": client,
    }


def activity_record(*, actor, event, description, record=None, client=None, changes=None,
                    ip_address=None):
    """Append one row to the activity log. Called by the service that made the change, inside
    its transaction, so a rolled-back change leaves no trace."""
    return Activity.objects.create(
        actor=actor, event=event, description=description[:255], changes=changes or {},
        ip_address=ip_address, **record_link(record, client),
    )


def notify(*, recipient, message, url="", actor=None):
    """An in-app notification; skipped when the recipient is the one who acted."""
    if recipient is None or (actor is not None and recipient.pk == actor.pk):
        return None
    return Notification.objects.create(recipient=recipient, actor=actor, message=message[:255],
                                       url=url)


def notification_mark_read(*, user, notification_id=None):
    """Mark one notification (or, without an id, all of them) of `user` read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def apply_changes(instance, values, allowed):
    """Set `values` on `instance` (only fields named in `allowed`) and return the old and new
    value of each field that changed, as the activity log stores them."""
    changes = {}
    for field, value in values.items():
        if field not in allowed:
            raise ValueError(f"{field} cannot be changed here")
        old = getattr(instance, field, None)  # None for an unset relation of a new row
        setattr(instance, field, value)
        if old != value:
            changes[field] = [_plain(old), _plain(value)]
    return changes


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


@transaction.atomic
def task_create(*, actor, title, assignee, due_date, description="", remind_at=None,
                record=None, client=None):
    task = Task.objects.create(
        title=title, assignee=assignee, due_date=due_date, description=description,
        remind_at=remind_at, created_by=actor, **record_link(record, client),
    )
    activity_record(actor=actor, event="task.created", record=task, client=task.client,
                    description=f"Task “{task.title}” created for {assignee}, due {due_date}")
    notify(recipient=assignee, actor=actor, url=task.get_absolute_url(),
           message=f"New task: {task.title} (due {due_date:%d.%m.%Y})")
    transaction.on_commit(lambda: task_created.send(sender=Task, task=task, actor=actor))
    return task


TASK_FIELDS = ["title", "description", "assignee", "due_date", "remind_at"]


@transaction.atomic
def task_update(*, actor, task, **values):
    task = Task.objects.select_for_update().get(pk=task.pk)
    changes = apply_changes(task, values, TASK_FIELDS)
    if "remind_at" in changes:
        task.reminded_at = None
    task.save()
    if changes:
        activity_record(actor=actor, event="task.updated", record=task, client=task.client,
                        description=f"Task “{task.title}” updated", changes=changes)
        if "assignee" in changes:
            notify(recipient=task.assignee, actor=actor, url=task.get_absolute_url(),
                   message=f"Task assigned to you: {task.title}")
    return task


@transaction.atomic
def task_set_done(*, actor, task, done=True):
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done == done:
        return task
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    activity_record(
        actor=actor, event="task.completed" if done else "task.reopened", record=task,
        client=task.client,
        description=f"Task “{task.title}” {'completed' if done else 'reopened'}",
    )
    if done:
        transaction.on_commit(lambda: task_completed.send(sender=Task, task=task, actor=actor))
    return task


def task_send_reminder(*, task_id):
    """Notify the assignee of one due reminder, once: the row is locked and marked in the same
    transaction, so a second run (or a second worker) finds nothing to do."""
    with transaction.atomic():
        task = (Task.objects.select_for_update(skip_locked=True)
                .filter(pk=task_id, reminded_at__isnull=True, done_at__isnull=True)
                .select_related("assignee").first())
        if task is None:
            return False
        task.reminded_at = timezone.now()
        task.save(update_fields=["reminded_at"])
        notify(recipient=task.assignee, url=task.get_absolute_url(),
               message=f"Reminder: {task.title} (due {task.due_date:%d.%m.%Y})")
    return True


@transaction.atomic
def task_delete(*, actor, task):
    task = Task.objects.select_for_update().get(pk=task.pk)
    activity_record(
        actor=actor, event="task.deleted", record=task, client=task.client,
        description=f"Task “{task.title}” deleted",
        changes={field: [_plain(getattr(task, field)), None]
                 for field in ("title", "assignee", "due_date")},
    )
    task.delete()
