"""Filters, search and sort of the invoices list and its exports. Every filter is a query
parameter (/admin/invoices/list_invoices?status=4&assigned=me&filter=unsent) and every sort
runs on an index of Invoice with the primary key as tie-breaker."""

import re

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.clients.models import Client
from crmconnect.clients.queries import search_filter
from crmconnect.core.forms import StyledForm
from leads.filters import TieBreakOrderingFilter
from sales.filters_documents import DocumentFilter, view_choices

from .models import Invoice, Series

Status = Invoice.Status
DRAFT_NUMBER = re.compile(r"^DRAFT-?0*(\d{1,9})$", re.IGNORECASE)
SERIES_NUMBER = re.compile(r"^(\D*?)-?0*(\d{1,9})$")


def overdue(queryset):
    """Money owed past the due date, whatever the nightly job has marked yet: Unpaid, Overdue
    and Partially Paid invoices (which keep showing "Partially Paid")."""
    return queryset.overdue()


VIEWS = {
    "draft": ("Draft", lambda queryset: queryset.filter(status=Status.DRAFT)),
    "unsent": ("Issued, not sent",
               lambda queryset: queryset.filter(status__in=Invoice.OPEN, sent=False)),
    "overdue": ("Overdue", overdue),
    "partially_paid": ("Partially Paid",
                       lambda queryset: queryset.filter(status=Status.PARTIALLY_PAID)),
    "paid": ("Paid", lambda queryset: queryset.filter(status=Status.PAID)),
}
VIEW_CHOICES = view_choices(VIEWS)


def _numbers(text):
    """(numbers, prefixed): the invoice numbers `text` may stand for — itself, and "123" or
    "crm123" written out in each invoice series whose prefix fits ("CRM000123") — and whether
    it carried a series prefix, which makes it a number and not a client."""
    numbers, prefixed = {text, text.upper()}, False
    match = SERIES_NUMBER.match(text)
    if match:
        prefix, digits = match.group(1).upper(), int(match.group(2))
        for series in Series.objects.filter(document_type=Series.DocumentType.INVOICE):
            if prefix in ("", series.prefix.upper()):
                numbers.add(series.format(digits))
                prefixed = prefixed or bool(prefix)
    return numbers, prefixed


# A search matching at most this many clients filters by their ids as a list; PostgreSQL
# plans "number OR client in (subquery)" as a scan of every invoice.
CLIENT_ID_LIST_LIMIT = 200


def matching_clients(text):
    """The clients whose name, email or CUI match `text`: a short list of ids, or the
    subquery when the term is broad."""
    clients = Client.objects.filter(search_filter(text)).values_list("pk", flat=True)
    ids = list(clients[:CLIENT_ID_LIST_LIMIT + 1])
    return ids if len(ids) <= CLIENT_ID_LIST_LIMIT else clients


def search_invoices(queryset, text):
    """A number ("CRM000123", "123", a draft's "DRAFT-000012") finds that invoice; other text
    (digits too: a CUI) matches the client's name, email or CUI. Each branch is an indexed
    lookup (the number, the primary key, the client ids), and a number with its series
    prefix skips the client search."""
    text = text.strip()
    if not text:
        return queryset
    draft = DRAFT_NUMBER.match(text)
    if draft:
        return queryset.filter(pk=int(draft.group(1)), status=Status.DRAFT)
    numbers, prefixed = _numbers(text)
    condition = Q(full_number__in=numbers)
    if not prefixed:
        condition |= Q(client_id__in=matching_clients(text))
    return queryset.filter(condition)


class InvoiceFilter(DocumentFilter):
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "CRM000123, client or CUI"}))
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status",
                                         method="filter_status")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All invoices", choices=VIEW_CHOICES)
    o = TieBreakOrderingFilter(
        default="-id",
        fields=(("full_number", "number"), "date", "due_date", "total", "status"),
        field_labels={"full_number": "Number", "date": "Date", "due_date": "Due date",
                      "total": "Total", "status": "Status"},
    )
    search = staticmethod(search_invoices)
    views = VIEWS

    class Meta:
        model = Invoice
        fields = []
        form = StyledForm

    def filter_status(self, queryset, name, value):
        """?status=4 is every invoice past its due date with money owed, as the guide's
        "/admin/invoices/list_invoices?status=4" promises; the other codes are exact."""
        if int(value) == Status.OVERDUE:
            return overdue(queryset)
        return queryset.filter(status=value)
