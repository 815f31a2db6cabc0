"""The invoice form (its lines use the proposal's lines editor) and the small forms of the
invoice page."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from crmconnect.company.models import VatRate
from crmconnect.core.forms import StyledForm
from leads.forms import DateInput
from sales.forms.proposals import DocumentHeaderForm

from ..models import BillingSettings, Invoice, PaymentMode, Series


def _rate_key(rate):
    """21.0000 → "21", the value of a document VAT option."""
    return f"{Decimal(rate).normalize():f}"


def document_vat_choices(keep=None):
    """"VAT per line", then the company's active VAT rates (plus `keep`, the invoice's own
    rate, should it no longer be offered)."""
    keys = [_rate_key(rate) for rate in
            VatRate.objects.filter(active=True).values_list("rate", flat=True)]
    if keep is not None:
        keys.append(_rate_key(keep))
    return [("", "VAT per line"), *((key, f"{key} %") for key in dict.fromkeys(keys))]


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "billing/invoices/_checkbox_choices.html"


def _default_series():
    return Series.objects.filter(document_type=Series.DocumentType.INVOICE, is_default=True,
                                 active=True).first()


class InvoiceForm(DocumentHeaderForm):
    view_all_permission = "billing.view_all_invoice"
    SECTIONS = [
        ("Client and payment", ["client", "contact", "payment_terms", "payment_modes"]),
        ("Invoice", ["date", "due_date", "series", "assigned_to", "currency", "exchange_rate",
                     "discount_percent", "document_vat_rate"]),
    ]

    document_vat_rate = forms.TypedChoiceField(
        label="One VAT rate for every line", coerce=Decimal, empty_value=None, required=False,
        help_text="Every line gets this rate when saved; “VAT per line” keeps each line's.")

    class Meta:
        model = Invoice
        fields = ["client", "contact", "currency", "exchange_rate", "date", "due_date", "series",
                  "assigned_to", "discount_percent", "document_vat_rate", "payment_terms",
                  "payment_modes", "terms", "notes"]
        widgets = {
            "date": DateInput, "due_date": DateInput,
            "payment_modes": InlineCheckboxes,
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"discount_percent": "Taken off every line, before VAT."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invoice = self.instance
        self.fields["client"].required = True
        kept = Q(pk=invoice.series_id) if invoice.series_id else Q(pk__in=[])
        series = self.fields["series"]
        series.queryset = Series.objects.filter(
            Q(document_type=Series.DocumentType.INVOICE, active=True) | kept)
        series.empty_label = "The default series"
        series.help_text = "The number is taken from it when the invoice is issued."
        kept = Q(pk__in=invoice.payment_modes.all()) if invoice.pk else Q(pk__in=[])
        self.fields["payment_modes"].queryset = PaymentMode.objects.filter(Q(active=True) | kept)
        self.fields["document_vat_rate"].choices = document_vat_choices(
            invoice.document_vat_rate)
        if invoice.document_vat_rate is not None:
            self.initial["document_vat_rate"] = _rate_key(invoice.document_vat_rate)
        if not invoice.pk:
            # Left empty, the due date is the date plus the configured payment term.
            due = self.fields["due_date"]
            due.required = False
            due.help_text = (f"Empty: {BillingSettings.load().due_days} days after the date "
                             "(Billing configuration).")


def invoice_initial(client=None):
    """What a new invoice starts with: today, due after the configured term, the default
    payment terms, modes and series; for `client` (one the user may see), its primary contact
    and currency."""
    config, today = BillingSettings.load(), timezone.localdate()
    initial = {"date": today, "due_date": today + timedelta(days=config.due_days),
               "payment_terms": config.payment_terms, "series": _default_series(),
               "payment_modes": list(PaymentMode.objects.filter(active=True, is_default=True))}
    if client is not None:
        initial.update(client=client, contact=client.primary_contact, currency=client.currency)
    return initial


class CancelForm(StyledForm):
    reason = forms.CharField(label="Why is the invoice cancelled?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the invoice is cancelled."})
