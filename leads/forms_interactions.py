"""The forms of a lead's activity tab: one small form per kind of interaction, the follow-up
reminder and the file upload."""

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from crmconnect.activity import attachments
from crmconnect.core.forms import StyledForm

from .models import Interaction

Kind = Interaction.Kind

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The fields each kind shows, in order, and their labels.
KIND_FIELDS = {
    Kind.CALL: {"summary": "Summary", "duration_minutes": "Duration (minutes)",
                "occurred_at": "When"},
    Kind.EMAIL: {"summary": "Subject and summary", "email_copy": "Copy of the email",
                 "occurred_at": "When"},
    Kind.SMS: {"summary": "Message", "occurred_at": "When"},
    Kind.MEETING: {"meeting_at": "Date and time", "place": "Place",
                   "summary": "Agenda / notes"},
    Kind.NOTE: {"summary": "Note"},
}
KIND_ICONS = {Kind.CALL: "telephone", Kind.EMAIL: "envelope", Kind.SMS: "chat-dots",
              Kind.MEETING: "calendar-event", Kind.NOTE: "journal-text"}


class InteractionForm(StyledForm):
    """The form of one kind (`kind`): only that kind's fields, prefixed with the kind so that
    the five forms of the tab have distinct ids."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              error_messages={"required": "Write what was said or done."})
    duration_minutes = forms.IntegerField(min_value=0, max_value=24 * 60, required=False)
    occurred_at = forms.DateTimeField(widget=DATETIME_WIDGET, required=False,
                                      help_text="Leave empty for now.")
    meeting_at = forms.DateTimeField(widget=DATETIME_WIDGET, error_messages={
        "required": "Enter the date and time of the meeting."})
    place = forms.CharField(max_length=200, required=False,
                            help_text="An address, or a video call link.")
    email_copy = forms.FileField(required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = Kind(kind)
        labels = KIND_FIELDS[self.kind]
        for name in [name for name in self.fields if name not in labels]:
            del self.fields[name]
        self.order_fields(list(labels))
        for name, label in labels.items():
            self.fields[name].label = label
        if self.kind != Kind.MEETING:
            self.fields["summary"].required = True
        if "email_copy" in self.fields:
            self.fields["email_copy"].widget.attrs["accept"] = attachments.accept_attribute()
            self.fields["email_copy"].help_text = (
                f"Optional: the .eml or .msg file, or a PDF. {attachments.limits_text()}")

    @property
    def label(self):
        return self.kind.label

    @property
    def icon(self):
        return KIND_ICONS[self.kind]

    def clean_email_copy(self):
        upload = self.cleaned_data.get("email_copy")
        if upload:
            attachments.attachment_validate(upload)
        return upload or None

    def service_arguments(self):
        """cleaned_data as interaction_log takes it."""
        return {"kind": self.kind, **{name: value for name, value in self.cleaned_data.items()
                                      if value not in (None, "")}}


def interaction_forms(data=None, files=None, *, bound_kind=None):
    """One form per kind; only the form of `bound_kind` is bound to the submitted data."""
    return [InteractionForm(data, files, kind=kind) if kind == bound_kind
            else InteractionForm(kind=kind) for kind in Kind]


class FollowUpForm(StyledForm):
    due_date = forms.DateField(label="Follow-up date",
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"required": "Choose the follow-up date."})
    remind_time = forms.TimeField(
        label="Remind at", required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Optional: a notification at this time on the follow-up date.")
    title = forms.CharField(max_length=200, initial="Follow up", required=False)
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(),
                                      required=False, empty_label="The lead's agent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="follow-up", **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            is_active=True)

    def service_arguments(self):
        data = self.cleaned_data
        remind_at = None
        if data.get("remind_time"):
            remind_at = timezone.make_aware(datetime.combine(data["due_date"],
                                                             data["remind_time"]))
        return {"due_date": data["due_date"], "title": data["title"] or "Follow up",
                "remind_at": remind_at,
                "assignee": data.get("assignee")}


class AttachmentForm(StyledForm):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="attachment", **kwargs)
        self.fields["file"].widget.attrs["accept"] = attachments.accept_attribute()
        self.fields["file"].help_text = attachments.limits_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachments.attachment_validate(upload)
        return upload
