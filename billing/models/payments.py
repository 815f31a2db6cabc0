from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.company.models import CURRENCY_CHOICES
from crmconnect.core.scope import scoped
from sales.models.fields import AmountField

from .invoices import Invoice
from .settings import Series


class PaymentMode(models.Model):
    class Kind(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        ONLINE = "online", "Online (payment gateway)"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BANK_TRANSFER)
    description = models.TextField(blank=True, help_text="Printed on invoices that allow it, "
                                                         "e.g. the bank account to pay into.")
    is_default = models.BooleanField("offered on new invoices", default=True)
    active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, owner_fields=["client__owner", "recorded_by"])

    def credit(self):
        """Payments with money not applied to any invoice: the client's credit."""
        return self.filter(voided_at__isnull=True, allocated__lt=F("amount"))


class Payment(models.Model):
    """Money received from a client. It is applied to invoices by allocations; what is not
    applied stays on the client's account as credit (an advance payment, an overpayment)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="payments")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RON")
    amount = AmountField()
    allocated = AmountField("applied to invoices", editable=False)
    date = models.DateField(default=timezone.localdate)
    mode = models.ForeignKey(PaymentMode, on_delete=models.PROTECT, related_name="payments",
                             verbose_name="payment mode")
    transaction_reference = models.CharField(max_length=100, blank=True,
                                             help_text="The bank transfer or card transaction "
                                                       "number.")
    note = models.TextField(blank=True)
    receipt_series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", editable=False)
    receipt_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    receipt_number = models.CharField(max_length=40, blank=True, editable=False)
    # The gateway's id of the checkout this payment came from: one payment per checkout.
    gateway_reference = models.CharField(max_length=255, null=True, blank=True, unique=True,
                                         editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A payment recorded by mistake is voided, never deleted: its receipt number stays used.
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.TextField(blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [
            ("view_all_payment", "Can view all payments, not only own clients'"),
            ("export_payment", "Can export payments"),
        ]
        indexes = [
            models.Index(fields=["-date", "-id"], name="payment_date_idx"),
            models.Index(fields=["-amount", "-id"], name="payment_amount_idx"),
            models.Index(fields=["receipt_number"], name="payment_receipt_idx"),
            models.Index(fields=["client", "currency"], name="payment_credit_idx",
                         condition=Q(allocated__lt=F("amount"), voided_at__isnull=True)),
            models.Index(fields=["client", "-date", "-id"], name="payment_client_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(allocated__gte=0, allocated__lte=F("amount")),
                                   name="payment_allocated_within_amount"),
            models.UniqueConstraint(fields=["receipt_series", "receipt_sequence"],
                                    name="payment_unique_receipt"),
            models.UniqueConstraint(fields=["receipt_number"], condition=~Q(receipt_number=""),
                                    name="payment_unique_receipt_number"),
            models.CheckConstraint(condition=Q(voided_at__isnull=True) | Q(allocated=0),
                                   name="payment_voided_not_applied"),
        ]

    def __str__(self):
        return self.receipt_number or f"Payment {self.pk}"

    def get_absolute_url(self):
        return reverse("billing:payment_detail", args=[self.pk])

    @property
    def unallocated(self):
        return Decimal(0) if self.voided_at else self.amount - self.allocated


class PaymentAllocation(models.Model):
    """Part of a payment applied to one invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = AmountField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} of {self.payment} to {self.invoice}"


class GatewayCheckout(models.Model):
    """A "Pay online" session opened at the payment gateway for an invoice's balance."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="checkouts")
    session_id = models.CharField(max_length=255, unique=True)
    amount = AmountField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="checkout")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.session_id


class GatewayEvent(models.Model):
    """A webhook event already handled: a redelivery finds its id here and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.event_id
