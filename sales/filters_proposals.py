"""Filters, search and sort of the proposals list and its export. Every filter is a query
parameter (/admin/proposals?status=4&assigned=me&filter=expired) and every sort runs on an
index of Proposal with the primary key as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.clients.models import Client
from crmconnect.core.forms import StyledForm
from leads.filters import TieBreakOrderingFilter

from .filters_documents import DocumentFilter, view_choices
from .models import Proposal, ProposalSettings

NUMBER = re.compile(r"^(?:PRO-?)?0*(\d{1,9})$", re.IGNORECASE)

VIEWS = {
    "expired": ("Expired", lambda queryset: queryset.expired()),
    "not_viewed": ("Sent, not viewed",
                   lambda queryset: queryset.not_viewed(
                       ProposalSettings.load().follow_up_after_days)),
}
VIEW_CHOICES = view_choices(VIEWS)


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


class ProposalFilter(DocumentFilter):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "Subject, PRO-000123 or client"}))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices,
                                         empty_label="Any status")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All proposals", choices=VIEW_CHOICES)
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("id", "number"), "date", "open_till", "total", "status"),
        field_labels={"id": "Number", "date": "Date", "open_till": "Open till",
                      "total": "Total", "status": "Status"},
    )
    search = staticmethod(search_proposals)
    views = VIEWS

    class Meta:
        model = Proposal
        fields = []
        form = StyledForm
