from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from crmconnect.clients.models import Client
from crmconnect.core.forms import StyledModelForm

from .models import Task


class TaskForm(StyledModelForm):
    """A task; on creation it may be linked to a client the user can see (?client=<pk>)."""

    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False,
                                    widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = ["title", "assignee", "due_date", "remind_at", "description"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "remind_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                             format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"remind_at": "Remind me at"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            Q(is_active=True) | Q(pk=self.instance.assignee_id))
        if self.instance.pk:
            del self.fields["client"]
        else:
            self.fields["client"].queryset = Client.objects.visible_to(user)

    @property
    def linked_client(self):
        if "client" not in self.fields:
            return None
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("client")
        return self.initial.get("client")

    def clean(self):
        cleaned = super().clean()
        remind_at, due_date = cleaned.get("remind_at"), cleaned.get("due_date")
        if remind_at and due_date and remind_at.date() > due_date:
            self.add_error("remind_at", "The reminder must not be later than the due date.")
        return cleaned
