"""Domain events of the kernel's tasks; sent on commit by the services."""

from django.dispatch import Signal

task_created = Signal()  # task, actor
task_completed = Signal()  # task, actor
