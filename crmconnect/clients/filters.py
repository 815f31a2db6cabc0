"""The client list's filters, search and sort. Sorts run on the (field, id) indexes of Client,
county, owner, group and creation date filters on their indexes, and the text search on
PostgreSQL on trigram indexes (migration 0004)."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from crmconnect.company.counties import COUNTY_CHOICES
from crmconnect.core.forms import StyledForm

from .models import Client, ClientGroup
from .queries import name_order_of_matches, search_filter

ME = "me"
YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]


class ClientOrderingFilter(django_filters.OrderingFilter):
    """Name order unless another is asked for, with the primary key as tie-breaker so that
    pages never overlap and the sort runs on the (field, id) indexes."""

    def filter(self, qs, value):
        fields = [self.get_ordering_value(param) for param in value or () if param] or ["name"]
        descending = fields[-1].startswith("-")
        if self.parent.form.cleaned_data.get("q"):
            fields = [name_order_of_matches(field == "-name") if field.lstrip("-") == "name"
                      else field for field in fields]
        return qs.order_by(*fields, "-pk" if descending else "pk")


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search",
                                  widget=forms.TextInput(attrs={
                                      "type": "search", "placeholder": "Name, CUI or email"}))
    kind = django_filters.ChoiceFilter(choices=Client.Kind.choices, empty_label="Any kind")
    group = django_filters.ModelChoiceFilter(queryset=ClientGroup.objects.all(),
                                             empty_label="Any group")
    county = django_filters.ChoiceFilter(choices=COUNTY_CHOICES, empty_label="Any county")
    vat_payer = django_filters.BooleanFilter(label="VAT payer",
                                             widget=forms.Select(choices=YES_NO))
    active = django_filters.BooleanFilter(widget=forms.Select(choices=YES_NO))
    owner = django_filters.ChoiceFilter(label="Responsible", method="filter_owner",
                                        empty_label="Anyone")
    created_from = django_filters.DateFilter(
        label="Created from", method="filter_created_from",
        widget=forms.DateInput(attrs={"type": "date"}))
    created_to = django_filters.DateFilter(
        label="Created until", method="filter_created_to",
        widget=forms.DateInput(attrs={"type": "date"}))
    o = ClientOrderingFilter(
        fields=("name", "created_at", "city", "cui"),
        field_labels={"name": "Name", "created_at": "Created", "city": "City", "cui": "CUI"},
    )

    class Meta:
        model = Client
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True)
        self.filters["owner"].extra["choices"] = [
            (ME, "Me"), *((str(user.pk), str(user)) for user in staff)]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_filter(value)) if value.strip() else queryset

    def filter_owner(self, queryset, name, value):
        if value == ME:
            return queryset.filter(owner=self.request.user)
        return queryset.filter(owner_id=value)

    def filter_created_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_created_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + datetime.timedelta(days=1)))
