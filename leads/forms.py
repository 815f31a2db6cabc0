from itertools import groupby

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.text import slugify

from crmconnect.core.forms import StyledForm, StyledModelForm, style_widget

from .config_services import CONFIG_FIELDS, tag_names, tags_existing
from .models import (
    CustomField,
    Lead,
    LeadSource,
    LeadStatus,
    LostReason,
    OpportunityStatus,
    Pipeline,
    Tag,
)
from .services import LEAD_FIELDS

COLOR_INPUT = forms.TextInput(attrs={"type": "color", "class": "form-control-color"})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def active_staff():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name",
                                                                    "username")


# --- configuration -----------------------------------------------------------------------

def _config_meta(config_model, **options):
    return type("Meta", (), {"model": config_model, "fields": CONFIG_FIELDS[config_model],
                             **options})


class PipelineForm(StyledModelForm):
    # Not a model field of the form: the one-default constraint is kept by the service, which
    # unsets the previous default in the same transaction.
    is_default = forms.BooleanField(
        label="Default pipeline", required=False,
        help_text="New leads start in the default pipeline. Replaces the current default.")

    Meta = _config_meta(Pipeline, fields=["name", "order", "active"], help_texts={
        "active": "Inactive pipelines are not offered for new leads."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_default"].initial = self.instance.is_default
        self.order_fields(CONFIG_FIELDS[Pipeline])


class LeadStatusForm(StyledModelForm):
    Meta = _config_meta(LeadStatus, widgets={"color": COLOR_INPUT}, help_texts={
        "order": "The Kanban shows the statuses of a pipeline from the lowest number."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pipeline"].empty_label = None


class LeadSourceForm(StyledModelForm):
    Meta = _config_meta(LeadSource)


class LostReasonForm(StyledModelForm):
    Meta = _config_meta(LostReason, help_texts={
        "active": "Inactive reasons are not offered when a lead is marked lost."})


class OpportunityStatusForm(StyledModelForm):
    Meta = _config_meta(OpportunityStatus, widgets={"color": COLOR_INPUT}, help_texts={
        "outcome": "Won and Lost close the opportunity in reports."})


class CustomFieldForm(StyledModelForm):
    Meta = _config_meta(CustomField, widgets={"choices": forms.Textarea(attrs={"rows": 4})})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["key"].help_text = (
            "Internal name; letters, digits, - and _. Left blank, it is made from the label. "
            "Values are stored under the key: changing it later hides the values entered.")

    def clean_key(self):
        key = self.cleaned_data["key"] or slugify(self.cleaned_data.get("label", ""))
        if not key:
            raise ValidationError("Enter a key: letters, digits, - and _.")
        return key


# --- leads and opportunities ---------------------------------------------------------------

class StatusChoiceIterator(ModelChoiceIterator):
    """The statuses grouped by pipeline (one <optgroup> each)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pipeline, statuses in groupby(self.queryset, key=lambda status: status.pipeline):
            yield (pipeline.name, [self.choice(status) for status in statuses])


class StatusChoiceField(forms.ModelChoiceField):
    iterator = StatusChoiceIterator


def custom_form_field(custom):
    """The form field of one custom field; its value is kept as entered (the service stores
    dates as ISO text, numbers as text)."""
    common = {"label": custom.label, "required": custom.required}
    if custom.field_type == CustomField.Type.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=4, **common)
    if custom.field_type == CustomField.Type.DATE:
        return forms.DateField(widget=DateInput, **common)
    if custom.field_type == CustomField.Type.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in custom.choice_list]],
                                 **common)
    return forms.CharField(max_length=255, **common)


class LeadForm(StyledModelForm):
    """A lead's fields, its tags as comma-separated text and one field per active custom
    field (named cf_<key>). Users who see only their own leads cannot pick the agent."""

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    tags = forms.CharField(required=False, max_length=500,
                           help_text="Comma-separated, e.g. “hot, event 2025”.")

    SECTIONS = [
        ("Contact", ["name", "company", "position", "email", "phone", "website"]),
        ("Pipeline", ["pipeline", "status", "opportunity_status", "probability",
                      "close_date", "source", "assigned_to"]),
        ("Company", ["industry", "city", "company_size"]),
        ("Deal", ["value", "currency", "tags", "description"]),
    ]

    class Meta:
        model = Lead
        fields = LEAD_FIELDS
        field_classes = {"status": StatusChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, pipeline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._setup_pipeline(pipeline)
        if user.has_perm("leads.view_all_lead"):
            self.fields["assigned_to"].queryset = active_staff()
            self.fields["assigned_to"].empty_label = "Nobody"
        else:
            del self.fields["assigned_to"]
        self.fields["source"].queryset = LeadSource.objects.filter(
            Q(active=True) | Q(pk=self.instance.source_id))
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        self.custom_fields = list(CustomField.objects.filter(active=True))
        for custom in self.custom_fields:
            self.fields[f"cf_{custom.key}"] = field = custom_form_field(custom)
            field.initial = self.instance.custom_values.get(custom.key)
            style_widget(field.widget)

    @property
    def sections(self):
        sections = [(title, [self[name] for name in names if name in self.fields])
                    for title, names in self.SECTIONS]
        if self.custom_fields:
            sections.append(("Custom fields", [self[f"cf_{custom.key}"]
                                               for custom in self.custom_fields]))
        return sections

    def _setup_pipeline(self, pipeline):
        if "pipeline" not in self.fields:
            return
        current = Q(pk=self.instance.pipeline_id) if self.instance.pipeline_id else Q()
        pipelines = Pipeline.objects.filter(Q(active=True) | current)
        self.fields["pipeline"].queryset = pipelines
        self.fields["pipeline"].empty_label = None
        self.fields["status"].queryset = (
            LeadStatus.objects.filter(Q(pipeline__active=True) | Q(pk=self.instance.status_id))
            .select_related("pipeline").order_by("pipeline__order", "pipeline__name",
                                                 "pipeline", "order", "id"))
        self.fields["status"].empty_label = None
        if self.instance.pk:
            return
        chosen = pipelines.filter(pk=pipeline).first() if str(pipeline).isdigit() else None
        chosen = chosen or pipelines.filter(is_default=True).first() or pipelines.first()
        if chosen is not None:
            self.initial.setdefault("pipeline", chosen.pk)
            first_status = chosen.statuses.order_by("order", "id").first()
            if first_status is not None:
                self.initial.setdefault("status", first_status.pk)

    def clean_tags(self):
        names = tag_names(self.cleaned_data["tags"])
        for name in names:
            if len(name) > Tag._meta.get_field("name").max_length:
                raise ValidationError(f"“{name[:20]}…” is too long for a tag (50 characters "
                                      "at most).")
        if not self.user.has_perm("leads.add_tag"):
            existing = tags_existing(names)
            unknown = [name for name in names if name.casefold() not in existing]
            if unknown:
                raise ValidationError(f"Unknown tag{'s' if len(unknown) > 1 else ''}: "
                                      f"{', '.join(unknown)}. Use existing tags only.")
        return names

    def custom_values(self):
        return {custom.key: self.cleaned_data.get(f"cf_{custom.key}")
                for custom in self.custom_fields}

    def values(self):
        """The lead's own fields, for the service (tags and custom values apart)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.fields}


class OpportunityForm(LeadForm):
    """An opportunity's fields: its own status, probability and close date. Its pipeline
    stage stays as it was when converted (the Kanban shows leads only)."""

    class Meta(LeadForm.Meta):
        fields = [*[name for name in LEAD_FIELDS if name not in ("pipeline", "status")],
                  "opportunity_status", "probability", "close_date"]
        widgets = {**LeadForm.Meta.widgets, "close_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity_status"].required = True
        self.fields["opportunity_status"].empty_label = None


class LostForm(StyledForm):
    reason = forms.ModelChoiceField(
        LostReason.objects.filter(active=True), empty_label="Choose a reason…",
        error_messages={"required": "Choose why the lead was lost."})
    note = forms.CharField(required=False, max_length=255)


class ConvertOpportunityForm(StyledForm):
    opportunity_status = forms.ModelChoiceField(OpportunityStatus.objects.all(),
                                                empty_label=None, label="Opportunity status")
    value = forms.DecimalField(required=False, max_digits=18, decimal_places=2, min_value=0,
                               label="Estimated value")
    probability = forms.IntegerField(required=False, min_value=0, max_value=100,
                                     label="Probability %")
    close_date = forms.DateField(required=False, widget=DateInput,
                                 label="Estimated close date")
    assigned_to = forms.ModelChoiceField(active_staff(), required=False, label="Owner",
                                         empty_label="Same as the lead")

    def __init__(self, *args, user, lead, **kwargs):
        super().__init__(*args, initial={"value": lead.value,
                                         "assigned_to": lead.assigned_to_id}, **kwargs)
        if not user.has_perm("leads.view_all_lead"):
            del self.fields["assigned_to"]
