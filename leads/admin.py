from django.contrib import admin
from django.db import models

from .models import (
    CustomField,
    Interaction,
    Lead,
    LeadSource,
    LeadStatus,
    LostReason,
    OpportunityStatus,
    Pipeline,
    Tag,
)


class LeadStatusInline(admin.TabularInline):
    model = LeadStatus
    extra = 0
    fields = ["name", "order", "color"]


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_default", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    inlines = [LeadStatusInline]


@admin.register(LeadStatus)
class LeadStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "pipeline", "order", "color"]
    list_filter = ["pipeline"]
    list_select_related = ["pipeline"]
    search_fields = ["name"]


@admin.register(LeadSource, LostReason)
class NamedOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


@admin.register(OpportunityStatus)
class OpportunityStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "outcome", "order", "color"]
    list_filter = ["outcome"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "field_type", "required", "order", "active"]
    list_filter = ["field_type", "required", "active"]
    search_fields = ["label", "key"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "email", "phone", "is_opportunity", "pipeline", "status",
                    "assigned_to", "value", "currency", "created_at"]
    list_filter = ["is_opportunity", "pipeline", "is_junk", "source"]
    list_select_related = ["pipeline", "status", "assigned_to"]
    search_fields = ["name", "company", "=email"]
    # Foreign keys by id: a select of every lead, client or user would not load at scale.
    raw_id_fields = ["converted_from", "assigned_to", "client", "created_by", "status",
                     "pipeline", "source", "lost_reason", "opportunity_status"]
    filter_horizontal = ["tags"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    show_full_result_count = False


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "occurred_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["lead", "created_by"]
    raw_id_fields = ["lead", "created_by"]
    show_full_result_count = False
