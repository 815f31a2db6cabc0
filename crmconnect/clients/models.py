from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from crmconnect.company.models import CURRENCY_CHOICES, Address
from crmconnect.core.scope import scoped
from crmconnect.core.validators import validate_iban, validate_reg_com, validate_ro_tax_id


class ClientGroup(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """'Own' scope: the clients a user is account owner of; 'all' scope sees every one."""
        return scoped(self, user, owner_fields=["owner"])


class Client(Address):
    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        PERSON = "person", "Person"

    class VatRegime(models.TextChoices):
        NORMAL = "normal", "Normal VAT"
        CASH = "cash", "VAT on collection (TVA la încasare)"
        REVERSE = "reverse", "Reverse charge"
        EXEMPT = "exempt", "Exempt / not registered"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(max_length=200, db_index=True)
    cui = models.CharField(
        "CUI / CIF", max_length=16, blank=True, validators=[validate_ro_tax_id],
        help_text="Fiscal code with RO prefix for VAT payers; a CNP for a person.",
    )
    vat_payer = models.BooleanField("VAT payer", default=False)
    vat_regime = models.CharField(
        "VAT regime", max_length=10, choices=VatRegime.choices, default=VatRegime.NORMAL
    )
    reg_com = models.CharField(
        "Reg. Com. number", max_length=32, blank=True, validators=[validate_reg_com]
    )
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[validate_iban])
    bank_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    currency = models.CharField(
        "default currency", max_length=3, choices=CURRENCY_CHOICES, default="RON"
    )
    group = models.ForeignKey(
        ClientGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_clients", verbose_name="account owner",
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("view_all_client", "Can view all clients, not only own"),
            ("export_client", "Can export clients"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="client_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="client_created_idx"),
            models.Index(fields=["city", "id"], name="client_city_idx"),
            models.Index(fields=["owner", "name"], name="client_owner_name_idx"),
            models.Index(fields=["county", "name", "id"], name="client_county_name_idx"),
            models.Index(fields=["group", "name", "id"], name="client_group_name_idx"),
            models.Index(fields=["cui"], name="client_cui_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cui"], condition=~Q(cui=""), name="client_unique_cui",
                violation_error_message="A client with this CUI/CIF already exists.",
                # The code "unique" puts the error on the cui field of forms, not above them.
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=Q(sector="") | Q(county="RO-B"), name="client_sector_only_bucharest"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clients:detail", args=[self.pk])

    @property
    def search_hint(self):
        """What tells two clients of the same name apart in search results."""
        return " · ".join(part for part in (self.cui, self.city) if part)

    @property
    def iban_grouped(self):
        return " ".join(self.iban[i:i + 4] for i in range(0, len(self.iban), 4))

    @property
    def primary_contact(self):
        for contact in self.contacts.all():
            if contact.is_primary:
                return contact
        return None


class Contact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    position = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField("primary contact", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "first_name", "last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_primary=True), name="contact_one_primary",
                violation_error_message="This client already has a primary contact.",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()
