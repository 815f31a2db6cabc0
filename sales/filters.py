"""The item list's filters, search and sort (?q=&group=&active=&currency=&o=)."""

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.company.models import CURRENCY_CHOICES
from crmconnect.core.forms import StyledForm

from .models import Item, ItemGroup

YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]


class ItemOrderingFilter(django_filters.OrderingFilter):
    """Name order unless another is asked for, with the primary key as tie-breaker so that
    pages never overlap."""

    def filter(self, qs, value):
        fields = [self.get_ordering_value(param) for param in value or () if param] or ["name"]
        return qs.order_by(*fields, "-pk" if fields[-1].startswith("-") else "pk")


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search",
                                  widget=forms.TextInput(attrs={
                                      "type": "search", "placeholder": "Code or name"}))
    group = django_filters.ModelChoiceFilter(queryset=ItemGroup.objects.all(),
                                             empty_label="Any group")
    active = django_filters.BooleanFilter(widget=forms.Select(choices=YES_NO))
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES, empty_label="Any currency")
    o = ItemOrderingFilter(
        fields=("code", "name", "unit_price"),
        field_labels={"code": "Code", "name": "Name", "unit_price": "Unit price"},
    )

    class Meta:
        model = Item
        fields = []
        form = StyledForm

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__istartswith=value) | Q(name__icontains=value))
