from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from crmconnect.core.singleton import Singleton
from crmconnect.core.validators import validate_iban, validate_ro_tax_id

from .counties import BUCHAREST, COUNTY_CHOICES, SECTOR_CHOICES

CURRENCY_CHOICES = [("RON", "RON"), ("EUR", "EUR"), ("USD", "USD"), ("GBP", "GBP")]


class Address(models.Model):
    """A Romanian postal address as CIUS-RO needs it: county as its ISO 3166-2:RO code and,
    in Bucharest, the sector."""

    street = models.CharField("street and number", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=5, choices=COUNTY_CHOICES, blank=True)
    sector = models.CharField(
        max_length=7, choices=SECTOR_CHOICES, blank=True, help_text="Bucharest only."
    )
    postal_code = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, default="RO")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.county == BUCHAREST and not self.sector and self.country == "RO":
            raise ValidationError({"sector": "Choose the Bucharest sector."})
        if self.sector and self.county != BUCHAREST:
            raise ValidationError({"sector": "A sector applies only to Bucharest (RO-B)."})

    @property
    def address_lines(self):
        locality = self.get_sector_display() if self.sector else self.city
        region = self.get_county_display() if self.county else ""
        tail = ", ".join(part for part in (locality, region, self.postal_code) if part)
        return [line for line in (self.street, tail) if line]


class CompanySettings(Singleton, Address):
    """The one row (pk=1) holding the issuing company's identity and mail server."""

    legal_name = models.CharField(max_length=200, blank=True)
    cui = models.CharField(
        "CUI / CIF", max_length=14, blank=True, validators=[validate_ro_tax_id],
        help_text="Fiscal code, with RO prefix if VAT registered.",
    )
    reg_com = models.CharField("Reg. Com. number", max_length=32, blank=True)
    vat_payer = models.BooleanField("VAT payer", default=True)
    bank_name = models.CharField(max_length=100, blank=True)
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[validate_iban])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    default_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")

    smtp_host = models.CharField("SMTP host", max_length=200, blank=True)
    smtp_port = models.PositiveIntegerField("SMTP port", default=587)
    smtp_username = models.CharField("SMTP username", max_length=200, blank=True)
    smtp_password = models.CharField("SMTP password", max_length=200, blank=True)
    smtp_security = models.CharField(
        "SMTP security", max_length=8, default="starttls",
        choices=[("none", "None"), ("starttls", "STARTTLS"), ("ssl", "SSL/TLS")],
    )
    mail_from = models.EmailField("send emails from", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "company settings"
        verbose_name_plural = "company settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="company_singleton")]

    def __str__(self):
        return self.legal_name or "Company settings"

    @property
    def smtp_configured(self):
        return bool(self.smtp_host)


class VatRate(models.Model):
    """A VAT rate offered on document lines. `category` is the UNCL5305 code e-Factura needs."""

    CATEGORY_CHOICES = [
        ("S", "Standard rate"),
        ("Z", "Zero rated"),
        ("E", "Exempt"),
        ("AE", "Reverse charge"),
        ("O", "Not subject to VAT"),
    ]
    name = models.CharField(max_length=60)
    rate = models.DecimalField(
        "rate %", max_digits=7, decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    category = models.CharField(max_length=2, choices=CATEGORY_CHOICES, default="S")
    is_default = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "VAT rate"
        ordering = ["ordering", "-rate"]
        constraints = [
            models.UniqueConstraint(fields=["rate", "category"], name="vatrate_unique_rate"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True),
                name="vatrate_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100), name="vatrate_rate_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.rate.normalize():f} %)"
