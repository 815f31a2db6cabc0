import django_filters
from django import forms
from django.contrib.auth.models import Group

from crmconnect.core.forms import StyledForm

from .models import Team, User


class UserFilter(django_filters.FilterSet):
    role = django_filters.ModelChoiceFilter(field_name="groups", label="Role",
                                            queryset=Group.objects.order_by("name"),
                                            empty_label="Any role")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    is_active = django_filters.BooleanFilter(label="Status", widget=forms.Select(
        choices=[("", "Any status"), ("true", "Active"), ("false", "Inactive")]))
    o = django_filters.OrderingFilter(fields=[("last_name", "name"), ("username", "username"),
                                              ("last_login", "last_login")])

    class Meta:
        model = User
        fields = ["role", "team", "is_active"]
        form = StyledForm
