"""Filters, search and sort of the sales orders list and its export. Every filter is a query
parameter (/admin/orders?status=2&filter=uninvoiced&assigned=me) and every sort runs on an
index of SalesOrder with the primary key as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.core.forms import StyledForm
from leads.filters import TieBreakOrderingFilter

from .filters_documents import DocumentFilter, view_choices
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
VIEW_CHOICES = view_choices(VIEWS)


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


class OrderFilter(DocumentFilter):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "SO-000123, client or reference"}))
    status = django_filters.ChoiceFilter(choices=SalesOrder.Status.choices,
                                         empty_label="Any status")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All orders", choices=VIEW_CHOICES)
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("id", "number"), "date", "total", "status"),
        field_labels={"id": "Number", "date": "Date", "total": "Total", "status": "Status"},
    )
    search = staticmethod(search_orders)
    views = VIEWS

    class Meta:
        model = SalesOrder
        fields = []
        form = StyledForm
