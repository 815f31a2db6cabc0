"""The sales order form (its lines use the proposal's lines editor) and the small forms of the
order page."""

from django import forms

from crmconnect.core.forms import StyledForm
from leads.forms import DateInput

from ..models import SalesOrder
from ..services.orders import repeat_lines
from .proposals import DocumentHeaderForm


class OrderForm(DocumentHeaderForm):
    view_all_permission = "sales.view_all_salesorder"
    SECTIONS = [
        ("Client", ["client", "contact", "client_reference"]),
        ("Order", ["date", "assigned_to", "currency", "exchange_rate", "discount_percent",
                   "awaiting_warehouse"]),
    ]

    class Meta:
        model = SalesOrder
        fields = ["client", "contact", "client_reference", "date", "assigned_to", "currency",
                  "exchange_rate", "discount_percent", "awaiting_warehouse", "terms", "notes"]
        widgets = {
            "date": DateInput,
            "terms": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"discount_percent": "Taken off every line, before VAT."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].required = True


class CancelForm(StyledForm):
    reason = forms.CharField(label="Why is the order cancelled?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the order is cancelled."})


class WarehouseForm(StyledForm):
    awaiting = forms.BooleanField(required=False)


def order_initial(*, client=None, repeat=None):
    """The header values and lines a new order starts with: the client's primary contact and
    currency; repeating `repeat` (an earlier order), its items and quantities at the client's
    prices of today, its currency, discount and terms. The caller has checked that the user may
    see both. Returns (initial, lines)."""
    if client is None:
        return {}, []
    initial = {"client": client, "contact": client.primary_contact, "currency": client.currency}
    if repeat is None:
        return initial, []
    initial.update(currency=repeat.currency, exchange_rate=repeat.exchange_rate,
                   discount_percent=repeat.discount_percent, terms=repeat.terms)
    if repeat.client_id == client.pk and repeat.contact is not None:
        initial["contact"] = repeat.contact
    return initial, repeat_lines(repeat, client)
