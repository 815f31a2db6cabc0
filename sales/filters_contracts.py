"""Filters, search and sort of the contracts list and its export. Every filter is a query
parameter (/admin/contracts?expires=30&type=2&assigned=me) and every sort has the primary key
as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.core.forms import StyledForm
from leads.filters import ME, TieBreakOrderingFilter
from leads.forms import active_staff

from .models import Contract, ContractStatus, ContractType

NUMBER = re.compile(r"^(?:CTR-?)?0*(\d{1,9})(?:\s*v\d+)?$", re.IGNORECASE)
EXPIRY_CHOICES = [("30", "Ending within 30 days"), ("60", "Ending within 60 days")]
VIEW_CHOICES = [("expired", "Expired")]


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


class ContractFilter(django_filters.FilterSet):
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
                                         choices=VIEW_CHOICES, empty_label="All contracts")
    assigned = django_filters.ChoiceFilter(label="Account manager", method="filter_agent",
                                           empty_label="Anyone")
    # A link from a client's page; the client's name shows above the list, not as a dropdown.
    client = django_filters.NumberFilter(field_name="client_id", widget=forms.HiddenInput)
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("id", "number"), ("end_date", "end"), "value", ("start_date", "start")),
        field_labels={"id": "Number", "end_date": "End", "value": "Value",
                      "start_date": "Start"},
        nulls_last=("end_date",),
    )

    class Meta:
        model = Contract
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request.user.has_perm("sales.view_all_contract"):
            self.filters["assigned"].extra["choices"] = [
                (ME, "Me"), *((str(person.pk), str(person)) for person in active_staff())]
        else:
            # Own scope: the user's contracts are all there is to see.
            del self.filters["assigned"]

    def filter_queryset(self, queryset):
        """Contracts about to end are listed soonest first unless another sort is asked."""
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("expires") and not self.form.cleaned_data.get("o"):
            queryset = queryset.order_by("end_date", "id")
        return queryset

    def filter_search(self, queryset, name, value):
        return search_contracts(queryset, value)

    def filter_expires(self, queryset, name, value):
        return queryset.expiring_within(int(value))

    def filter_view(self, queryset, name, value):
        return queryset.filter(status__kind=ContractStatus.Kind.EXPIRED)

    def filter_agent(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.request.user)
        return queryset.filter(assigned_to_id=value)
