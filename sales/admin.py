from django.contrib import admin

from .models import (
    ClientPricing,
    Contract,
    ContractLine,
    ContractReminder,
    ContractStatus,
    ContractType,
    DiscountGroup,
    DiscountRate,
    GroupPricing,
    Item,
    ItemGroup,
    PriceList,
    PriceListEntry,
    Proposal,
    ProposalComment,
    ProposalLine,
    ProposalSettings,
    ProposalTemplate,
    ProposalTemplateLine,
    SalesOrder,
    SalesOrderLine,
)

LINE_FIELDS = ["position", "item", "description", "quantity", "unit", "unit_price",
               "discount_percent", "vat_rate", "vat_category", "price_source", "net"]


@admin.register(ItemGroup)
class ItemGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "unit", "unit_price", "currency", "vat_rate",
                    "active"]
    list_filter = ["active", "currency", "group"]
    list_select_related = ["group", "vat_rate"]
    search_fields = ["code", "name"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at"]


class PriceListEntryInline(admin.TabularInline):
    model = PriceListEntry
    extra = 0
    raw_id_fields = ["item"]


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "active"]
    list_filter = ["active", "currency"]
    search_fields = ["name"]
    inlines = [PriceListEntryInline]


class DiscountRateInline(admin.TabularInline):
    model = DiscountRate
    extra = 0


@admin.register(PriceListEntry)
class PriceListEntryAdmin(admin.ModelAdmin):
    list_display = ["price_list", "item", "min_quantity", "unit_price"]
    list_filter = ["price_list"]
    list_select_related = ["price_list", "item"]
    raw_id_fields = ["item"]
    search_fields = ["item__code", "item__name"]


@admin.register(DiscountGroup)
class DiscountGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [DiscountRateInline]


@admin.register(DiscountRate)
class DiscountRateAdmin(admin.ModelAdmin):
    list_display = ["discount_group", "item_group", "percent"]
    list_filter = ["discount_group"]
    list_select_related = ["discount_group", "item_group"]


@admin.register(ClientPricing)
class ClientPricingAdmin(admin.ModelAdmin):
    list_display = ["client", "price_list", "discount_group"]
    list_select_related = ["client", "price_list", "discount_group"]
    list_filter = ["price_list", "discount_group"]
    raw_id_fields = ["client"]
    search_fields = ["client__name"]


@admin.register(GroupPricing)
class GroupPricingAdmin(admin.ModelAdmin):
    list_display = ["group", "price_list"]
    list_select_related = ["group", "price_list"]


@admin.register(ProposalSettings)
class ProposalSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_open_days", "follow_up_after_days",
                    "estimate_auto_convert_to_invoice_on_client_accept"]


class ProposalTemplateLineInline(admin.TabularInline):
    model = ProposalTemplateLine
    extra = 0
    fields = LINE_FIELDS
    raw_id_fields = ["item"]


@admin.register(ProposalTemplate)
class ProposalTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    inlines = [ProposalTemplateLineInline]


class DocumentLineInline(admin.TabularInline):
    """Shown, not edited: a document's lines and its stored totals are written together by
    `services.lines.lines_replace`."""

    extra = 0
    fields = readonly_fields = LINE_FIELDS
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProposalLineInline(DocumentLineInline):
    model = ProposalLine


class ProposalCommentInline(admin.TabularInline):
    model = ProposalComment
    extra = 0
    fields = ["author", "author_name", "body", "ip_address", "created_at"]
    raw_id_fields = ["author"]


@admin.register(ProposalComment)
class ProposalCommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author_name", "created_at"]
    list_select_related = ["proposal"]
    raw_id_fields = ["proposal", "author"]
    search_fields = ["author_name", "body"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The status changes only through the proposal's own actions, never here."""

    list_display = ["number", "subject", "client", "status", "total", "currency", "open_till",
                    "assigned_to"]
    list_filter = ["status", "currency"]
    list_select_related = ["client", "assigned_to"]
    search_fields = ["subject", "client__name", "recipient_email"]
    raw_id_fields = ["client", "contact", "lead", "assigned_to", "created_by", "template"]
    readonly_fields = ["status", "subtotal", "discount_total", "vat_total", "total", "sent_at",
                       "viewed_at", "accepted_at", "declined_at", "signer_name", "signer_email",
                       "signature", "signed_ip", "created_at", "updated_at"]
    inlines = [ProposalLineInline, ProposalCommentInline]
    show_full_result_count = False


class SalesOrderLineInline(DocumentLineInline):
    model = SalesOrderLine


@admin.register(SalesOrder)
class SalesOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "client", "status", "total", "currency", "date", "assigned_to"]
    list_filter = ["status", "currency"]
    list_select_related = ["client", "assigned_to"]
    search_fields = ["client__name"]
    raw_id_fields = ["client", "contact", "assigned_to", "created_by", "proposal"]
    readonly_fields = ["status", "subtotal", "discount_total", "vat_total", "total",
                       "created_at", "updated_at"]
    inlines = [SalesOrderLineInline]
    show_full_result_count = False


@admin.register(ContractType)
class ContractTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]


@admin.register(ContractStatus)
class ContractStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]


class ContractLineInline(DocumentLineInline):
    model = ContractLine


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    """Signature fields and the archived signed PDF are read-only: they record what happened."""

    list_display = ["number", "subject", "client", "status", "value", "currency", "end_date",
                    "assigned_to"]
    list_filter = ["status", "contract_type"]
    list_select_related = ["client", "status", "assigned_to"]
    search_fields = ["subject", "client__name"]
    raw_id_fields = ["client", "contact", "assigned_to", "created_by", "proposal", "sales_order",
                     "previous"]
    readonly_fields = ["subtotal", "discount_total", "vat_total", "total",
                       "sent_for_signature_at", "signed_at", "signed_manually", "signer_name",
                       "signer_email", "signature", "signed_ip", "signed_pdf", "created_at",
                       "updated_at"]
    inlines = [ContractLineInline]
    show_full_result_count = False


@admin.register(ContractReminder)
class ContractReminderAdmin(admin.ModelAdmin):
    list_display = ["contract", "step", "recipient", "created_by_job_at"]
    raw_id_fields = ["contract", "task", "recipient"]
