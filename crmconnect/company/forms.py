from django import forms
from django.core.validators import MaxValueValidator

from crmconnect.core.forms import StyledForm, StyledModelForm
from crmconnect.core.validators import (
    normalize_iban,
    normalize_ro_tax_id,
    validate_iban,
    validate_reg_com,
    validate_ro_tax_id,
)

from .counties import COUNTY_CHOICES, SECTOR_CHOICES
from .models import CompanySettings, VatRate

SETTINGS_SECTIONS = [
    ("Company", ["legal_name", "cui", "reg_com", "vat_payer", "email", "phone"]),
    ("Address", ["street", "city", "county", "sector", "postal_code"]),
    ("Bank", ["bank_name", "iban"]),
    ("Defaults", ["default_currency"]),
    ("Email (SMTP)", ["smtp_host", "smtp_port", "smtp_username", "smtp_password",
                      "smtp_security", "mail_from"]),
]
SETTINGS_FIELDS = [name for _, names in SETTINGS_SECTIONS for name in names]


class CompanySettingsForm(StyledModelForm):
    """The settings page. The SMTP password is never sent back to the browser: left blank,
    the stored one stays."""

    smtp_password = forms.CharField(
        label="SMTP password", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the saved password.",
    )

    class Meta:
        model = CompanySettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "—"), *COUNTY_CHOICES]
        self.fields["sector"].choices = [("", "— (Bucharest only)"), *SECTOR_CHOICES]
        self.fields["smtp_port"].validators.append(MaxValueValidator(65535))
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SETTINGS_SECTIONS]

    def clean_cui(self):
        value = self.cleaned_data["cui"].strip()
        validate_ro_tax_id(value)
        return normalize_ro_tax_id(value)

    def clean_iban(self):
        value = normalize_iban(self.cleaned_data["iban"])
        validate_iban(value)
        return value

    def clean_reg_com(self):
        value = self.cleaned_data["reg_com"].strip().upper()
        validate_reg_com(value)
        return value

    def clean_smtp_password(self):
        return self.cleaned_data["smtp_password"] or self.instance.smtp_password

    def values(self):
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class TestEmailForm(StyledForm):
    to = forms.EmailField(label="Send a test email to")


class VatRateForm(StyledModelForm):
    # Not a model field of the form: the one-default constraint is kept by the service, which
    # unsets the previous default in the same transaction.
    is_default = forms.BooleanField(
        label="Default rate", required=False,
        help_text="Proposed on new document lines. Replaces the current default.",
    )

    class Meta:
        model = VatRate
        fields = ["name", "rate", "category", "active", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_default"].initial = self.instance.is_default
        self.order_fields(["name", "rate", "category", "is_default", "active", "ordering"])
