"""Filters, search and sort of the contracts list and its export. Every filter is a query
parameter (/admin/contracts?expires=30&type=2&assigned=me) and every sort has the primary key
as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.core.forms import StyledForm
from leads.filters import TieBreakOrderingFilter

from .filters_documents import DocumentFilter, view_choices
from .models import Contract, ContractStatus, ContractType

NUMBER = re.compile(r"^(?:CTR-?)?0*(\d{1,9})(?:\s*v\d+)?$", re.IGNORECASE)
EXPIRY_CHOICES = [("30", "Ending within 30 days"), ("60", "Ending within 60 days")]


def search_contracts(queryset, text):
    """A number ("CTR-000123", "123", "CTR-000123 v2") finds that contract; other text
    matches the subject or the client's name."""
    text = text.strip()
    if not text:
        return queryset
    condition = Q(subject__icontains=text) | Q(client__name__icontains=text)
    number = NUMBER.match(text)
    if number:
        condition |= Q(pk=int(number.group(1)))
    return queryset.filter(condition)


VIEWS = {"expired": ("Expired",
                     lambda queryset: queryset.filter(status__kind=ContractStatus.Kind.EXPIRED))}


class ContractFilter(DocumentFilter):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "Subject, CTR-000123 or client"}))
    status = django_filters.ModelChoiceFilter(queryset=ContractStatus.objects.all(),
                                              empty_label="Any status")
    type = django_filters.ModelChoiceFilter(field_name="contract_type", label="Type",
                                            queryset=ContractType.objects.all(),
                                            empty_label="Any type")
    expires = django_filters.ChoiceFilter(label="Ending", method="filter_expires",
                                          choices=EXPIRY_CHOICES, empty_label="Any end date")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         choices=view_choices(VIEWS), empty_label="All contracts")
    # Contracts run over periods of their own (start, end) and carry a value, not a total.
    currency = date_from = date_to = None
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("id", "number"), ("end_date", "end"), "value", ("start_date", "start")),
        field_labels={"id": "Number", "end_date": "End", "value": "Value",
                      "start_date": "Start"},
        nulls_last=("end_date",),
    )
    search = staticmethod(search_contracts)
    views = VIEWS

    class Meta:
        model = Contract
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned" in self.filters:
            self.filters["assigned"].label = "Account manager"

    def filter_queryset(self, queryset):
        """Contracts about to end are listed soonest first unless another sort is asked."""
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("expires") and not self.form.cleaned_data.get("o"):
            queryset = queryset.order_by("end_date", "id")
        return queryset

    def filter_expires(self, queryset, name, value):
        return queryset.expiring_within(int(value))
