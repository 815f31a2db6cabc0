from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from crmconnect.core.forms import StyledModelForm
from crmconnect.core.validators import normalize_iban, normalize_ro_tax_id, validate_iban

from .models import Client, ClientGroup, Contact
from .services import CLIENT_FIELDS, CONTACT_FIELDS, GROUP_FIELDS

CNP_LENGTH = 13


class ClientForm(StyledModelForm):
    SECTIONS = [
        ("Identity", ["kind", "name", "group", "owner", "active"]),
        ("Tax data", ["cui", "vat_payer", "vat_regime", "reg_com", "currency"]),
        ("Registered address", ["street", "city", "county", "sector", "postal_code"]),
        ("Bank", ["iban", "bank_name"]),
        ("Contact details", ["email", "phone", "website"]),
        ("Notes", ["notes"]),
    ]

    # Declared here so that an IBAN typed in groups of four fits before it is compacted.
    iban = forms.CharField(label="IBAN", required=False, max_length=50)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = (
            "Enter the client's name: the company's legal name or the person's full name.")
        self.fields["group"].empty_label = "No group"
        if user.has_perm("clients.view_all_client"):
            owner = self.fields["owner"]
            owner.queryset = get_user_model().objects.filter(is_active=True)
            owner.empty_label = "Nobody"
            if not self.instance.pk:
                owner.empty_label = "Me"
        else:
            # An "own clients" user would lose sight of a client handed to someone else.
            del self.fields["owner"]
        if self.instance.iban and not self.is_bound:
            self.initial["iban"] = self.instance.iban_grouped

    @property
    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in self.SECTIONS]

    def clean_cui(self):
        cui = normalize_ro_tax_id(self.cleaned_data["cui"])
        if cui:
            digits = cui.removeprefix("RO")
            variant = f"RO{digits}" if cui == digits else digits
            if Client.objects.filter(cui=variant).exclude(pk=self.instance.pk).exists():
                raise ValidationError(
                    f"A client with this CUI/CIF already exists (registered as {variant}).",
                    code="unique")
        return cui

    def clean_iban(self):
        iban = normalize_iban(self.cleaned_data["iban"])
        validate_iban(iban)
        return iban

    def clean(self):
        cleaned = super().clean()
        if "cui" in self.errors:
            return cleaned
        cui = cleaned.get("cui", "")
        if cleaned.get("vat_payer") and not cui:
            self.add_error("cui", "A VAT payer needs its CUI/CIF.")
        if (cleaned.get("kind") == Client.Kind.COMPANY
                and len(cui.removeprefix("RO")) == CNP_LENGTH):
            self.add_error("cui", "A company's CUI/CIF has 2 to 10 digits; a 13-digit CNP "
                                  "identifies a person (choose kind Person).")
        return cleaned


class ContactForm(StyledModelForm):
    class Meta:
        model = Contact
        fields = [*CONTACT_FIELDS, "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Changing the primary contact is its own action (make primary).
            del self.fields["is_primary"]
        else:
            self.fields["is_primary"].help_text = "A client's first contact is always primary."


class ClientGroupForm(StyledModelForm):
    class Meta:
        model = ClientGroup
        fields = GROUP_FIELDS
