"""Filters, search and sort of the sales orders list and its export. Every filter is a query
parameter (/admin/orders?status=2&filter=uninvoiced&assigned=me) and every sort runs on an
index of SalesOrder with the primary key as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.company.models import CURRENCY_CHOICES
from crmconnect.core.forms import StyledForm
from leads.filters import ME, TieBreakOrderingFilter
from leads.forms import DateInput, active_staff

from .models import SalesOrder

NUMBER = re.compile(r"^(?:SO-?)?0*(\d{1,9})$", re.IGNORECASE)


def uninvoiced(queryset):
    """Confirmed orders that have no invoice yet (the invoice marks them Invoiced)."""
    return queryset.filter(status=SalesOrder.Status.CONFIRMED)


def awaiting_warehouse(queryset):
    """Open orders the warehouse has still to confirm."""
    return queryset.filter(awaiting_warehouse=True,
                           status__in=[SalesOrder.Status.NEW, SalesOrder.Status.CONFIRMED])


VIEWS = {
    "uninvoiced": ("Confirmed, not invoiced", uninvoiced),
    "warehouse": ("Awaiting warehouse", awaiting_warehouse),
}
VIEW_CHOICES = [(key, label) for key, (label, _) in VIEWS.items()]


def search_orders(queryset, text):
    """A number ("SO-000123", "123") finds that order; other text matches the client's name or
    the client's order reference."""
    text = text.strip()
    if not text:
        return queryset
    condition = Q(client__name__icontains=text) | Q(client_reference__icontains=text)
    number = NUMBER.match(text)
    if number:
        condition |= Q(pk=int(number.group(1)))
    return queryset.filter(condition)


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "SO-000123, client or reference"}))
    status = django_filters.ChoiceFilter(choices=SalesOrder.Status.choices,
                                         empty_label="Any status")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All orders", choices=VIEW_CHOICES)
    assigned = django_filters.ChoiceFilter(label="Agent", method="filter_agent",
                                           empty_label="Anyone")
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES, empty_label="Any currency")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte",
                                          label="Dated from", widget=DateInput)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte",
                                        label="Dated until", widget=DateInput)
    # A link from a client's page; the client's name shows above the list, not as a dropdown.
    client = django_filters.NumberFilter(field_name="client_id", widget=forms.HiddenInput)
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("id", "number"), "date", "total", "status"),
        field_labels={"id": "Number", "date": "Date", "total": "Total", "status": "Status"},
    )

    class Meta:
        model = SalesOrder
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request.user.has_perm("sales.view_all_salesorder"):
            self.filters["assigned"].extra["choices"] = [
                (ME, "Me"), *((str(person.pk), str(person)) for person in active_staff())]
        else:
            # Own scope: the user's orders are all there is to see.
            del self.filters["assigned"]

    def filter_search(self, queryset, name, value):
        return search_orders(queryset, value)

    def filter_view(self, queryset, name, value):
        return VIEWS[value][1](queryset)

    def filter_agent(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.request.user)
        return queryset.filter(assigned_to_id=value)
