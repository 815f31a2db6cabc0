"""Filters, search and sort of the leads list, the Kanban and the opportunities list. Every
filter is a query parameter (?source=3&assigned=me&filter=stagnant) and every sort runs on an
index of Lead with the primary key as tie-breaker, so pages never overlap."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F, Q
from django.utils import timezone

from crmconnect.core.forms import StyledForm

from .models import STAGNANT_AFTER, LeadSource, LeadStatus, OpportunityStatus, Pipeline, Tag

ME = "me"
UNCONTACTED_WITHIN = datetime.timedelta(hours=24)


def start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_leads(queryset, text):
    """Name, company or email containing `text`; an email address typed in full finds that
    lead by its exact address first (on the email index) before falling back to the scan."""
    text = text.strip()
    if not text:
        return queryset
    if _looks_like_email(text):
        exact = queryset.filter(email__in={text, text.lower()})
        if exact.exists():
            return exact
    condition = Q(name__icontains=text) | Q(company__icontains=text)
    if not any(char.isspace() for char in text):
        condition |= Q(email__icontains=text)
    return queryset.filter(condition)


def _looks_like_email(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def uncontacted(queryset):
    """Active leads that arrived in the last 24 hours and nobody has contacted yet."""
    return queryset.active().filter(created_at__gte=timezone.now() - UNCONTACTED_WITHIN,
                                    last_contacted_at__isnull=True)


def created_today(queryset):
    """The day's intake: leads created since local midnight; spam (junk) is not intake."""
    return queryset.filter(created_at__gte=start_of_day(timezone.localdate()), is_junk=False)


VIEWS = {
    "today": ("Created today", created_today),
    "stagnant": (f"Stagnant (> {STAGNANT_AFTER.days} days in stage)",
                 lambda queryset: queryset.stagnant()),
    "uncontacted": ("New, not contacted (24 h)", uncontacted),
    "lost": ("Lost", lambda queryset: queryset.lost()),
    "junk": ("Junk", lambda queryset: queryset.junk()),
}
VIEW_CHOICES = [(key, label) for key, (label, _) in VIEWS.items()]


class TieBreakOrderingFilter(django_filters.OrderingFilter):
    """`default` unless another order is asked for, then the primary key in the same
    direction; `nulls_last` fields keep empty values at the end in both directions."""

    def __init__(self, *args, default, nulls_last=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.default, self.nulls_last = default, set(nulls_last)

    def filter(self, qs, value):
        fields = [self.get_ordering_value(param) for param in value or () if param]
        fields = fields or [self.default]
        descending = fields[-1].startswith("-")
        return qs.order_by(*map(self._expression, fields), "-id" if descending else "id")

    def _expression(self, field):
        name = field.lstrip("-")
        if name not in self.nulls_last:
            return field
        return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(
            nulls_last=True)


def _search_filter():
    return django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, company or email"}))


def _person_filter(label):
    return django_filters.ChoiceFilter(label=label, method="filter_person", empty_label="Anyone")


class _LeadFilterBase(django_filters.FilterSet):
    """Search and the "Responsible: Me / a colleague" filter shared by the lists."""

    person_filter = ""  # the query parameter of the responsible-person filter

    class Meta:
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True)
        self.filters[self.person_filter].extra["choices"] = [
            (ME, "Me"), *((str(user.pk), str(user)) for user in staff)]

    def filter_search(self, queryset, name, value):
        return search_leads(queryset, value)

    def filter_person(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.request.user)
        return queryset.filter(assigned_to_id=value)


class LeadFilter(_LeadFilterBase):
    """The leads list and the Kanban. Without `filter` only active leads are listed; `filter`
    picks one of VIEWS instead (today, stagnant, uncontacted, lost, junk)."""

    person_filter = "assigned"

    q = _search_filter()
    pipeline = django_filters.ModelChoiceFilter(queryset=Pipeline.objects.all(),
                                                empty_label="Any pipeline")
    status = django_filters.ModelChoiceFilter(
        queryset=LeadStatus.objects.select_related("pipeline").order_by(
            "pipeline__order", "pipeline__name", "order", "id"), empty_label="Any status")
    source = django_filters.ModelChoiceFilter(queryset=LeadSource.objects.all(),
                                              empty_label="Any source")
    assigned = _person_filter("Responsible")
    tag = django_filters.ModelChoiceFilter(field_name="tags", queryset=Tag.objects.all(),
                                           label="Tag", empty_label="Any tag")
    filter = django_filters.ChoiceFilter(
        label="Show", method="filter_view", empty_label="Active leads", choices=VIEW_CHOICES)
    created_from = django_filters.DateFilter(
        label="Created from", method="filter_created_from",
        widget=forms.DateInput(attrs={"type": "date"}))
    created_to = django_filters.DateFilter(
        label="Created until", method="filter_created_to",
        widget=forms.DateInput(attrs={"type": "date"}))
    o = TieBreakOrderingFilter(
        default="-created_at",
        fields=("created_at", "name", "value", "status_changed_at"),
        field_labels={"created_at": "Created", "name": "Name", "value": "Value",
                      "status_changed_at": "Days in stage"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status_field = self.form.fields["status"]
        status_field.label_from_instance = lambda status: f"{status.pipeline} › {status}"

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("filter"):
            queryset = queryset.active()
        return super().filter_queryset(queryset)

    def filter_view(self, queryset, name, value):
        return VIEWS[value][1](queryset)

    def filter_created_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_created_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=start_of_day(value + datetime.timedelta(days=1)))


BOARD_FIELDS = ("q", "assigned", "source", "tag")


class OpportunityFilter(_LeadFilterBase):
    person_filter = "owner"

    q = _search_filter()
    owner = _person_filter("Owner")
    opportunity_status = django_filters.ModelChoiceFilter(
        label="Status", queryset=OpportunityStatus.objects.all(), empty_label="Any status")
    close_month = django_filters.DateFilter(
        label="Closing in", method="filter_close_month", input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    o = TieBreakOrderingFilter(
        default="close_date", nulls_last=("close_date", "value"),
        fields=("close_date", "value", "created_at"),
        field_labels={"close_date": "Close date", "value": "Value", "created_at": "Created"},
    )

    def filter_close_month(self, queryset, name, value):
        first = value.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return queryset.filter(close_date__gte=first, close_date__lt=following)
