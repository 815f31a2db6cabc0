from django.contrib import admin

from .models import Client, ClientGroup, Contact


@admin.register(ClientGroup)
class ClientGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["first_name", "last_name", "position", "email", "phone", "is_primary"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cui", "vat_payer", "city", "county", "group", "owner",
                    "active"]
    list_filter = ["kind", "vat_payer", "active", "county", "group"]
    list_select_related = ["group", "owner"]
    search_fields = ["name", "=cui", "email"]
    raw_id_fields = ["owner", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline]
    show_full_result_count = False
