from decimal import Decimal

from django import forms
from django.db.models import Q

from crmconnect.clients.models import ClientGroup
from crmconnect.core.forms import StyledForm, StyledModelForm

from ..models import DiscountGroup, ItemGroup, PriceList
from .catalogue import ItemCodeField

PRICE = {"max_digits": 18, "decimal_places": 4, "min_value": Decimal(0)}


class PriceListForm(StyledModelForm):
    class Meta:
        model = PriceList
        fields = ["name", "currency", "description", "active"]
        help_texts = {
            "currency": "The currency of its prices: a document in another currency uses the "
                        "catalogue price.",
            "active": "An inactive list is ignored when pricing: its clients get the catalogue "
                      "(or their group's list).",
        }
        error_messages = {"name": {"unique": "Another price list already has this name."}}


class PriceEntryForm(StyledForm):
    item = ItemCodeField()
    min_quantity = forms.DecimalField(label="From quantity", initial=Decimal(1), max_digits=15,
                                      decimal_places=3,
                                      help_text="Add a row per volume tier (e.g. from 1, from "
                                                "10, from 50).")
    unit_price = forms.DecimalField(label="Unit price (without VAT)", **PRICE)

    def clean_min_quantity(self):
        quantity = self.cleaned_data["min_quantity"]
        if quantity <= 0:
            raise forms.ValidationError("The quantity must be above zero.")
        return quantity


class GroupAssignForm(StyledForm):
    group = forms.ModelChoiceField(ClientGroup.objects.all(), label="Client group",
                                   help_text="Its clients without a list of their own get these "
                                             "prices. A group has one list: this replaces any "
                                             "other.")


class DiscountGroupForm(StyledModelForm):
    class Meta:
        model = DiscountGroup
        fields = ["name", "description"]
        error_messages = {"name": {"unique": "Another discount group already has this name."}}


class DiscountRateForm(StyledForm):
    item_group = forms.ModelChoiceField(ItemGroup.objects.all(),
                                        help_text="Setting a group again replaces its rate.")
    percent = forms.DecimalField(label="Discount %", max_digits=7, decimal_places=4,
                                 min_value=Decimal(0), max_value=Decimal(100))


class ClientPricingForm(StyledForm):
    price_list = forms.ModelChoiceField(
        PriceList.objects.none(), required=False, empty_label="None (group list or catalogue)",
        help_text="The client's own list wins over its group's list and the catalogue.")
    discount_group = forms.ModelChoiceField(DiscountGroup.objects.all(), required=False,
                                            empty_label="No discount")

    def __init__(self, *args, pricing=None, **kwargs):
        current = pricing.price_list_id if pricing else None
        super().__init__(*args, initial={
            "price_list": current,
            "discount_group": pricing.discount_group_id if pricing else None}, **kwargs)
        self.fields["price_list"].queryset = PriceList.objects.filter(
            Q(active=True) | Q(pk=current))
