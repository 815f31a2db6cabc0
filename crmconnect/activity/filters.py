from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.core.forms import StyledForm

from .models import Activity, Task


def _active_staff():
    return get_user_model().objects.filter(is_active=True)


class TaskFilter(django_filters.FilterSet):
    """?status=open|done|all (open when absent), ?due=today|overdue, ?assignee=me|<id>,
    ?q= on the title, ?o= sort."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("done", "Done"), ("all", "All")], method="filter_status",
        empty_label=None, label="Status",
    )
    due = django_filters.ChoiceFilter(
        choices=[("today", "Due today"), ("overdue", "Overdue")], method="filter_due",
        empty_label="Any due date", label="Due",
    )
    assignee = django_filters.ChoiceFilter(method="filter_assignee", empty_label="Anyone",
                                           label="Assignee")
    o = django_filters.OrderingFilter(
        fields=[("due_date", "due_date"), ("title", "title"), ("created_at", "created_at")],
    )

    class Meta:
        model = Task
        fields = []
        form = StyledForm

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "open")
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["assignee"].extra["choices"] = lambda: [
            ("me", "Me"), *((str(staff.pk), str(staff)) for staff in _active_staff())
        ]

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset

    def filter_due(self, queryset, name, value):
        return queryset.due_today() if value == "today" else queryset.overdue()

    def filter_assignee(self, queryset, name, value):
        return queryset.filter(assignee=self.user if value == "me" else value)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class ActivityFilter(django_filters.FilterSet):
    """?event= (a full name like task.completed, or a prefix like task), ?actor=<id>,
    ?date_from= / ?date_to= (inclusive days), ?client=<id>."""

    event = django_filters.CharFilter(method="filter_event", label="Event")
    actor = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(),
                                             label="Who", empty_label="Anyone")
    date_from = django_filters.DateFilter(
        method="filter_date_from", label="From", widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label="To", widget=forms.DateInput(attrs={"type": "date"}),
    )
    client = django_filters.ModelChoiceFilter(queryset=Client.objects.all(),
                                              widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = []
        form = StyledForm

    def filter_event(self, queryset, name, value):
        value = value.strip()
        if "." in value:
            return queryset.filter(event=value)
        return queryset.filter(event__startswith=f"{value}.")

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))
