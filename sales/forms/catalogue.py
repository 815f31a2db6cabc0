from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.urls import reverse_lazy

from crmconnect.clients.models import Client
from crmconnect.company.models import CURRENCY_CHOICES, VatRate
from crmconnect.core.forms import StyledModelForm

from ..models import Item, ItemGroup

ITEM_OPTIONS_ID = "item-options"
NOT_NEGATIVE = MinValueValidator(Decimal(0), "A price cannot be negative.")


class ItemForm(StyledModelForm):
    class Meta:
        model = Item
        fields = ["code", "name", "group", "unit", "unit_price", "currency", "vat_rate",
                  "purchase_price", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"unit_price": "Unit price (without VAT)"}
        help_texts = {"code": "Unique; shown on proposals and invoices.",
                      "unit": "e.g. pcs, hour, day, month, licence."}
        error_messages = {"code": {"unique": "Another item already has this code."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("unit_price", "purchase_price"):
            self.fields[name].validators.append(NOT_NEGATIVE)
        self.fields["vat_rate"].queryset = VatRate.objects.filter(
            Q(active=True) | Q(pk=self.instance.vat_rate_id))
        if not self.instance.pk:
            self.initial.setdefault("vat_rate", VatRate.objects.filter(is_default=True).first())


class ItemGroupForm(StyledModelForm):
    class Meta:
        model = ItemGroup
        fields = ["name", "description"]
        error_messages = {"name": {"unique": "Another item group already has this name."}}


class ItemCodeField(forms.ModelChoiceField):
    """An item typed by its code, with suggestions from the items autocomplete (pricing.js
    fills the datalist), so the page never loads the whole catalogue."""

    widget = forms.TextInput
    default_error_messages = {"invalid_choice": "No item has this code."}

    def __init__(self, **kwargs):
        super().__init__(queryset=Item.objects.all(), to_field_name="code", **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "list": ITEM_OPTIONS_ID, "autocomplete": "off",
                "placeholder": "Code or name",
                "data-autocomplete": reverse_lazy("sales:items_autocomplete")}


class QuoteForm(forms.Form):
    """The query of the price lookup the proposal line editor makes. A client the user may not
    see is ignored (the catalogue price applies), not an error."""

    item = forms.ModelChoiceField(queryset=Item.objects.select_related("vat_rate"))
    client = forms.IntegerField(required=False)
    quantity = forms.DecimalField(required=False, max_digits=15, decimal_places=3)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user

    def clean_client(self):
        pk = self.cleaned_data["client"]
        return Client.objects.visible_to(self.user).filter(pk=pk).first() if pk else None

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is None:
            return Decimal(1)
        if quantity <= 0:
            raise forms.ValidationError("The quantity must be above zero.")
        return quantity
