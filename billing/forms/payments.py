"""The payment forms: "Record Payment" on an invoice, an advance payment on a client's
account, applying credit, voiding."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from crmconnect.company.models import CURRENCY_CHOICES, CompanySettings
from crmconnect.core.forms import StyledForm
from leads.forms import DateInput
from sales.forms.proposals import ClientPickerMixin

from ..models import BillingSettings, PaymentMode


def amount_field(**kwargs):
    return forms.DecimalField(max_digits=18, decimal_places=2, min_value=Decimal("0.01"),
                              **kwargs)


class ModeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (on the invoice)" if getattr(obj, "on_invoice", False) else obj.name


class PaymentForm(StyledForm):
    """Money received on an invoice. The amount starts at the balance; the payment modes the
    invoice offers come first."""

    amount = amount_field()
    date = forms.DateField(widget=DateInput, initial=timezone.localdate,
                           help_text="When the money was received.")
    mode = ModeChoiceField(PaymentMode.objects.filter(active=True), label="Payment mode",
                           empty_label=None)
    transaction_reference = forms.CharField(
        label="Transaction reference", max_length=100, required=False,
        help_text="The bank transfer (OP) or card transaction number.")
    note = forms.CharField(required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    excess_to_credit = forms.BooleanField(
        label="Keep the excess as client credit", required=False,
        help_text="An amount above the balance pays the invoice and the rest stays on the "
                  "client's account, to apply to a later invoice.")

    def __init__(self, *args, modes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if modes is not None:
            self.fields["mode"].queryset = modes
        if not BillingSettings.load().allow_overpayment_to_credit:
            del self.fields["excess_to_credit"]


class AdvancePaymentForm(ClientPickerMixin, PaymentForm):
    """Money received without an invoice: it stays on the client's account as credit."""

    client = forms.ModelChoiceField(queryset=None)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)

    field_order = ["client", "currency", "amount", "date", "mode", "transaction_reference",
                   "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["excess_to_credit"]
        self.fields["amount"].help_text = "All of it becomes the client's credit."
        chosen = self._setup_client_picker()
        self.initial.setdefault("currency", chosen.currency if chosen and chosen.currency
                                else CompanySettings.load().default_currency)


class CreditAmountForm(StyledForm):
    """Apply the client's credit to an invoice (no amount: as much as the balance takes)."""

    amount = amount_field(required=False)


class ApplyCreditForm(CreditAmountForm):
    """The same from the payment page, which lists several invoices."""

    invoice = forms.IntegerField(widget=forms.HiddenInput)


class VoidForm(StyledForm):
    reason = forms.CharField(label="Why is the payment voided?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the payment is voided."})
