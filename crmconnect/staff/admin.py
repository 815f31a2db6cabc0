from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Team, User


# Django's stock forms name auth.User in their Meta, which this project swaps out.
class StaffCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Work", {"fields": ("phone", "job_title", "team")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Work", {"fields": ("email", "first_name", "last_name", "team")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "team", "is_active"]
    list_filter = ["is_active", "groups", "team"]
    list_select_related = ["team"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "leader", "created_at"]
    list_select_related = ["leader"]
    search_fields = ["name"]
