"""Django's admin (/django-admin/) for billing: a window on the data for superusers. Invoices
and payments are made, issued, paid, cancelled and voided only in the application, through the
services that number, lock and log them; here their numbers, statuses and amounts are read
only and nothing is added or deleted."""

from django.contrib import admin

from sales.admin import DocumentLineInline

from .models import (
    BillingSettings,
    GatewayCheckout,
    GatewayEvent,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    PaymentMode,
    Series,
)


class RecordedOnly:
    """Rows written by the services (and the gateway): shown, never added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "document_type", "prefix", "next_number", "padding", "is_default",
                    "active"]
    list_filter = ["document_type", "active"]

    def get_readonly_fields(self, request, obj=None):
        # Once numbers are taken from a series, moving its counter would leave a gap or
        # repeat a number: it is set only when the series is made.
        return ["next_number"] if obj is not None else []


@admin.register(BillingSettings)
class BillingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_days", "send_auto_converted", "allow_overpayment_to_credit"]

    def has_add_permission(self, request):
        return not BillingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentMode)
class PaymentModeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_default", "active", "ordering"]
    list_filter = ["kind", "active"]
    list_editable = ["ordering"]


class InvoiceLineInline(DocumentLineInline):
    model = InvoiceLine


class AllocationInline(RecordedOnly, admin.TabularInline):
    model = PaymentAllocation
    extra = 0


class PaymentsOfInvoice(AllocationInline):
    verbose_name_plural = "payments applied"
    fields = readonly_fields = ["payment", "amount", "created_by", "created_at"]


class InvoicesOfPayment(AllocationInline):
    verbose_name_plural = "applied to invoices"
    fields = readonly_fields = ["invoice", "amount", "created_by", "created_at"]


@admin.register(Invoice)
class InvoiceAdmin(RecordedOnly, admin.ModelAdmin):
    """Only the agent and the internal notes can be changed here."""

    list_display = ["number", "client", "status", "sent", "total", "amount_paid", "currency",
                    "date", "due_date", "assigned_to"]
    list_filter = ["status", "sent", "currency"]
    list_select_related = ["client", "assigned_to"]
    search_fields = ["full_number", "client__name"]
    raw_id_fields = ["assigned_to"]
    fields = ["kind", "status", "series", "full_number", "client", "contact", "currency",
              "exchange_rate", "date", "due_date", "assigned_to", "created_by", "proposal",
              "sales_order", "subtotal", "discount_total", "vat_total", "total", "amount_paid",
              "document_vat_rate", "discount_percent", "payment_terms", "terms", "notes",
              "sent", "sent_at", "issued_at", "viewed_at", "cancelled_at", "cancel_reason",
              "seller", "buyer", "created_at", "updated_at"]
    readonly_fields = [name for name in fields if name not in ("assigned_to", "notes")]
    inlines = [InvoiceLineInline, PaymentsOfInvoice]
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(RecordedOnly, admin.ModelAdmin):
    """The reference and the note can be corrected here; a mistaken payment is voided in the
    application."""

    list_display = ["__str__", "client", "amount", "allocated", "currency", "date", "mode",
                    "voided_at"]
    list_filter = ["mode", "currency"]
    list_select_related = ["client", "mode"]
    search_fields = ["receipt_number", "transaction_reference", "client__name"]
    fields = ["client", "amount", "allocated", "currency", "date", "mode",
              "transaction_reference", "note", "receipt_number", "gateway_reference",
              "recorded_by", "created_at", "voided_at", "void_reason"]
    readonly_fields = [name for name in fields if name not in ("transaction_reference", "note")]
    inlines = [InvoicesOfPayment]
    show_full_result_count = False


@admin.register(GatewayCheckout)
class GatewayCheckoutAdmin(RecordedOnly, admin.ModelAdmin):
    list_display = ["session_id", "invoice", "amount", "currency", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["invoice"]
    search_fields = ["session_id"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GatewayEvent)
class GatewayEventAdmin(RecordedOnly, admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    search_fields = ["event_id"]

    def has_change_permission(self, request, obj=None):
        return False
