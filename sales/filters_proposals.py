"""Filters, search and sort of the proposals list and its export. Every filter is a query
parameter (/admin/proposals?status=4&assigned=me&filter=expired) and every sort runs on an
index of Proposal with the primary key as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.clients.models import Client
from crmconnect.company.models import CURRENCY_CHOICES
from crmconnect.core.forms import StyledForm
from leads.filters import ME, TieBreakOrderingFilter
from leads.forms import DateInput, active_staff

from .models import Proposal, ProposalSettings

NUMBER = re.compile(r"^(?:PRO-?)?0*(\d{1,9})$", re.IGNORECASE)

VIEWS = {
    "expired": ("Expired", lambda queryset: queryset.expired()),
    "not_viewed": ("Sent, not viewed",
                   lambda queryset: queryset.not_viewed(
                       ProposalSettings.load().follow_up_after_days)),
}
VIEW_CHOICES = [(key, label) for key, (label, _) in VIEWS.items()]


def search_proposals(queryset, text):
    """A number ("PRO-000123", "123") finds that proposal; other text matches the subject,
    the addressee or the client's name."""
    text = text.strip()
    if not text:
        return queryset
    number = NUMBER.match(text)
    # The client's name through a subquery, not a join: each proposal row is then matched
    # against a short list of client ids instead of joining the client table.
    clients = Client.objects.filter(name__icontains=text).values("pk")
    condition = (Q(subject__icontains=text) | Q(recipient_name__icontains=text)
                 | Q(client_id__in=clients))
    if number:
        condition |= Q(pk=int(number.group(1)))
    return queryset.filter(condition)


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "Subject, PRO-000123 or client"}))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices,
                                         empty_label="Any status")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All proposals", choices=VIEW_CHOICES)
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
        fields=(("id", "number"), "date", "open_till", "total", "status"),
        field_labels={"id": "Number", "date": "Date", "open_till": "Open till",
                      "total": "Total", "status": "Status"},
    )

    class Meta:
        model = Proposal
        fields = []
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if user.has_perm("sales.view_all_proposal"):
            self.filters["assigned"].extra["choices"] = [
                (ME, "Me"), *((str(person.pk), str(person)) for person in active_staff())]
        else:
            # Own scope: the user's proposals are all there is to see.
            del self.filters["assigned"]

    def filter_search(self, queryset, name, value):
        return search_proposals(queryset, value)

    def filter_view(self, queryset, name, value):
        return VIEWS[value][1](queryset)

    def filter_agent(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.request.user)
        return queryset.filter(assigned_to_id=value)
