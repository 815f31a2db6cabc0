"""The proposal form, the lines editor (a formset, so that it works without JavaScript and
shows errors with what the user typed) and the small forms of the proposal page."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_fsm import can_proceed

from crmconnect.clients.models import Contact
from crmconnect.company.models import VatRate
from crmconnect.core.forms import StyledForm, StyledModelForm
from leads.forms import DateInput, active_staff
from leads.models import Lead

from .. import queries
from ..models import Item, Proposal, ProposalTemplate
from ..services.proposals import MANUAL_STATUSES, default_open_till

LINE_PREFIX = "lines"


# --- lines -----------------------------------------------------------------------------------

def vat_key(rate, category):
    """The value of a VAT option: "21:S", "0:Z"."""
    return f"{Decimal(rate).normalize():f}:{category}"


def _vat_label(key):
    """ "21 %", or "0 % (E)" when the category is not the standard one."""
    rate, category = key.split(":")
    return f"{rate} %" if category == "S" else f"{rate} % ({category})"


def vat_choices(*keep):
    """The company's active VAT rates, plus the rates of existing lines (`keep`: keys) that are
    no longer offered, so that editing a document does not change them silently."""
    keys = [vat_key(rate.rate, rate.category) for rate in VatRate.objects.filter(active=True)]
    keys += [key for key in dict.fromkeys(keep) if key not in keys]
    return [(key, _vat_label(key)) for key in keys]


def default_vat_key():
    rate = (VatRate.objects.filter(active=True, is_default=True).first()
            or VatRate.objects.filter(active=True).first())
    return vat_key(rate.rate, rate.category) if rate else ""


class LineForm(StyledForm):
    """One line. `item` is set by the item search (JavaScript); without it the line is typed
    in by hand."""

    item = forms.ModelChoiceField(Item.objects.all(), required=False, widget=forms.HiddenInput)
    item_label = forms.CharField(
        label="Item", required=False, max_length=260,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search items…",
                                      "autocomplete": "off", "size": 18}))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 1, "cols": 28}),
                                  required=False, max_length=5000)
    quantity = forms.DecimalField(max_digits=15, decimal_places=3, min_value=Decimal("0.001"),
                                  initial=Decimal(1))
    unit = forms.CharField(required=False, max_length=20,
                           widget=forms.TextInput(attrs={"size": 5}))
    unit_price = forms.DecimalField(label="Unit price", max_digits=18, decimal_places=4,
                                    min_value=0)
    discount_percent = forms.DecimalField(label="Discount %", max_digits=7, decimal_places=4,
                                          min_value=0, max_value=100, required=False)
    vat = forms.ChoiceField(label="VAT")
    price_source = forms.CharField(required=False, max_length=160, widget=forms.HiddenInput)

    def __init__(self, *args, vat_options=(), vat_default="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vat"].choices = vat_options
        self.fields["vat"].initial = vat_default
        for name, field in self.fields.items():
            field.widget.attrs["data-line"] = name

    def clean(self):
        data = super().clean()
        if not data.get("description") and not data.get("item"):
            self.add_error("description", "Describe the line or pick an item.")
        return data

    def values(self):
        """The line as the document services take it."""
        data = self.cleaned_data
        rate, category = data["vat"].split(":")
        return {"item": data.get("item"), "description": data.get("description", ""),
                "quantity": data["quantity"], "unit": data.get("unit", ""),
                "unit_price": data["unit_price"],
                "discount_percent": data.get("discount_percent") or Decimal(0),
                "vat_rate": Decimal(rate), "vat_category": category,
                "price_source": data.get("price_source", "")}


def line_initial(values):
    """A line's values (from a document or a template) as the line form's initial data."""
    item = values.get("item")
    return {"item": item.pk if item else None,
            "item_label": f"{item.code} — {item.name}" if item else "",
            "description": values["description"], "quantity": values["quantity"],
            "unit": values["unit"], "unit_price": values["unit_price"],
            "discount_percent": values["discount_percent"],
            "vat": vat_key(values["vat_rate"], values["vat_category"]),
            "price_source": values.get("price_source", "")}


class BaseLineFormSet(forms.BaseFormSet):
    lines_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = [row["vat"] for row in self.initial or ()]
        self.vat_options, self.vat_default = vat_choices(*kept), default_vat_key()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "vat_options": self.vat_options,
                "vat_default": self.vat_default}

    def kept_forms(self):
        """The lines to save: not removed, and not a blank row left untouched."""
        initial = self.initial_forms
        return [form for form in self.forms
                if (form.has_changed() or form in initial)
                and not (self.can_delete and self._should_delete_form(form))]

    def clean(self):
        if any(self.errors):
            return
        if self.lines_required and not self.kept_forms():
            raise ValidationError("Add at least one line.")

    def values(self):
        return [form.values() for form in self.kept_forms()]


def line_formset(data=None, *, lines=(), extra=1, required=True):
    """The lines editor with `lines` (value dicts) filled in and `extra` blank rows. A
    template may have no lines (`required=False`)."""
    formset_class = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=extra,
                                          can_delete=True)
    formset_class.lines_required = required
    return formset_class(data, prefix=LINE_PREFIX,
                         initial=[line_initial(values) for values in lines])


def with_added_row(data):
    """The posted lines with one more blank row (the "Add line" button without JavaScript)."""
    data = data.copy()
    key = f"{LINE_PREFIX}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


# --- the proposal ------------------------------------------------------------------------------

class ClientPickerMixin:
    """A form's `client` field: a dropdown of the user's clients when they have up to 200,
    else the selected client only plus a search (static/js/lines.js) — never a dropdown of
    every client. The form has `user`."""

    client_empty_label = "Choose the client"

    def _chosen_client(self):
        if self.is_bound:
            pk = self.data.get(self.add_prefix("client"), "")
        else:
            pk = self.initial.get("client")
            pk = getattr(pk, "pk", pk)
        if not str(pk or "").isdigit():
            return None
        return queries.visible_clients(self.user).filter(pk=pk).first()

    def _setup_client_picker(self):
        """Offer the clients; returns the chosen one (None if none or not visible)."""
        client_field = self.fields["client"]
        client_field.queryset = queries.visible_clients(self.user)
        client_field.empty_label = self.client_empty_label
        chosen = self._chosen_client()
        offered = queries.client_choices(self.user)
        attrs = {"data-client-select": "true"}
        if offered is None:
            offered = []
            attrs["data-search-url"] = reverse("sales:proposal_client_search")
            client_field.help_text = "Search by name or CUI, then pick the client."
        if chosen is not None and chosen not in offered:
            offered = [chosen, *offered]
        # Set last: assigning the queryset resets the widget's choices to every row.
        client_field.widget.choices = [("", client_field.empty_label),
                                       *((client.pk, client.name) for client in offered)]
        client_field.widget.attrs.update(attrs)
        return chosen


class DocumentHeaderForm(ClientPickerMixin, StyledModelForm):
    """The header of a commercial document (proposal, sales order, contract). The client is
    picked as ClientPickerMixin says; the contact is one of the chosen client's. A user who
    sees only their own documents gets no agent field (the service makes them the agent)."""

    view_all_permission = ""  # who may pick the agent, e.g. "sales.view_all_proposal"
    SECTIONS = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_perm(self.view_all_permission):
            agent = self.fields["assigned_to"]
            agent.queryset, agent.required, agent.empty_label = active_staff(), True, None
        else:
            del self.fields["assigned_to"]
        if not self.instance.pk:
            self.initial.setdefault("assigned_to", user.pk)
        self._setup_client()

    def _setup_client(self):
        chosen = self._setup_client_picker()
        self.fields["client"].widget.attrs["data-contacts-url"] = reverse(
            "sales:proposal_client_contacts", args=[0])
        contact_field = self.fields["contact"]
        contact_field.queryset = (Contact.objects.filter(client=chosen) if chosen is not None
                                  else Contact.objects.none())
        contact_field.empty_label = "—"
        contact_field.widget.attrs["data-contact-select"] = "true"

    @property
    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in self.SECTIONS]

    def values(self):
        """The document's fields, for the service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.fields}


class ProposalForm(DocumentHeaderForm):
    view_all_permission = "sales.view_all_proposal"
    client_empty_label = "No client (a lead's proposal)"
    SECTIONS = [
        ("Recipient", ["client", "contact", "recipient_name", "recipient_email"]),
        ("Proposal", ["subject", "date", "open_till", "assigned_to", "currency",
                      "exchange_rate", "discount_percent", "allow_comments"]),
    ]

    class Meta:
        model = Proposal
        fields = ["subject", "client", "contact", "lead", "template", "recipient_name",
                  "recipient_email", "date", "open_till", "currency", "exchange_rate",
                  "assigned_to", "allow_comments", "discount_percent", "content", "terms",
                  "notes"]
        widgets = {
            "date": DateInput, "open_till": DateInput,
            "lead": forms.HiddenInput, "template": forms.HiddenInput,
            "content": forms.Textarea(attrs={"rows": 8, "data-richtext": "true"}),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"content": "The cover letter the client reads above the lines.",
                      "discount_percent": "Taken off every line, before VAT."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["lead"].queryset = Lead.objects.visible_to(user)
        self.fields["template"].queryset = ProposalTemplate.objects.all()
        if not self.instance.pk:
            self.initial.setdefault("open_till", default_open_till())


class StatusForm(StyledForm):
    """A status set by hand; only the changes the proposal's status allows are offered."""

    status = forms.TypedChoiceField(coerce=int, label="New status")
    reason = forms.CharField(label="Reason (when declined)", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status, method in MANUAL_STATUSES.items()
            if status != proposal.status and can_proceed(getattr(proposal, method))]


class ExtendForm(StyledForm):
    open_till = forms.DateField(label="Open till", widget=DateInput)


class ReplyForm(StyledForm):
    body = forms.CharField(label="Reply", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write the reply."})
