"""Filters, search and sort of the payments list and its export. Every filter is a query
parameter (/admin/payments?mode=2&filter=unapplied&client=7) and the default sort, by date,
runs on an index of Payment with the primary key as tie-breaker."""

import django_filters
from django import forms
from django.db.models import Q

from crmconnect.core.forms import StyledForm
from leads.filters import TieBreakOrderingFilter
from sales.filters_documents import DocumentFilter, view_choices

from .filters import matching_clients
from .models import Payment, PaymentMode


def unapplied(queryset):
    """Payments with money not applied to an invoice yet: the clients' credit."""
    return queryset.credit()


def voided(queryset):
    return queryset.filter(voided_at__isnull=False)


VIEWS = {
    "unapplied": ("With credit left (unapplied)", unapplied),
    "voided": ("Voided", voided),
}


def search_payments(queryset, text):
    """A receipt number (prefixes are upper case), a transaction reference or a client (name,
    email, CUI)."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(receipt_number=text.upper())
                           | Q(transaction_reference__icontains=text)
                           | Q(client_id__in=matching_clients(text)))


class PaymentFilter(DocumentFilter):
    assigned = None  # a payment has no agent
    q = django_filters.CharFilter(
        label="Search", method="filter_search",
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": "Receipt, reference or client"}))
    mode = django_filters.ModelChoiceFilter(queryset=PaymentMode.objects.all(),
                                            empty_label="Any mode", label="Payment mode")
    filter = django_filters.ChoiceFilter(label="Show", method="filter_view",
                                         empty_label="All payments", choices=view_choices(VIEWS))
    o = TieBreakOrderingFilter(
        default="-date", fields=("date", "amount"),
        field_labels={"date": "Date", "amount": "Amount"})
    search = staticmethod(search_payments)
    views = VIEWS

    class Meta:
        model = Payment
        fields = []
        form = StyledForm
