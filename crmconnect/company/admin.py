from django.contrib import admin

from .models import CompanySettings, VatRate


@admin.register(CompanySettings)
class CompanySettingsAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "cui", "smtp_host", "updated_at"]
    exclude = ["smtp_password"]

    def has_add_permission(self, request):
        return not CompanySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["name", "rate", "category", "is_default", "active", "ordering"]
    list_filter = ["category", "active"]
