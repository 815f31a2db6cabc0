"""The billing configuration forms: the settings, a numbering series, a payment mode."""

from django import forms

from crmconnect.core.forms import StyledModelForm

from ..models import BillingSettings, PaymentMode, Series
from ..services.config import MODE_FIELDS, SETTINGS_FIELDS


class BillingSettingsForm(StyledModelForm):
    class Meta:
        model = BillingSettings
        fields = SETTINGS_FIELDS
        widgets = {"payment_terms": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if read_only:
            for field in self.fields.values():
                field.disabled = True


class SeriesForm(StyledModelForm):
    """The document type is chosen when the series is added."""

    # Not a model field of the form: the one-default constraint is kept by the service, which
    # takes the default from the previous series in the same transaction.
    is_default = forms.BooleanField(
        label="Default for its document type", required=False,
        help_text="New documents of this type are numbered in it. Replaces the current "
                  "default.")

    class Meta:
        model = Series
        fields = ["document_type", "name", "prefix", "next_number", "padding", "active"]
        help_texts = {"next_number": "It can skip ahead (to continue an earlier numbering), "
                                     "never go back to a number already used."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["document_type"]
        self.fields["is_default"].initial = self.instance.is_default
        self.order_fields(["document_type", "name", "prefix", "next_number", "padding",
                           "is_default", "active"])

    def clean_prefix(self):
        return self.cleaned_data["prefix"].strip().upper()


class PaymentModeForm(StyledModelForm):
    class Meta:
        model = PaymentMode
        fields = MODE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
