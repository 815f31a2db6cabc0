from django import forms
from django.contrib.auth.forms import BaseUserCreationForm, UsernameField
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q

from crmconnect.core.forms import StyledFormMixin, StyledModelForm

from .models import Team, User
from .permission_matrix import build_matrix, manageable_permissions
from .roles import ROLES


class RoleForm(StyledModelForm):
    permissions = forms.ModelMultipleChoiceField(
        queryset=manageable_permissions(), required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Group
        fields = ["name"]
        labels = {"name": "Role name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["permissions"].initial = list(
                self.instance.permissions.values_list("pk", flat=True))
        if self.instance.name in ROLES:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = "A built-in role keeps its name."

    def matrix(self):
        if self.is_bound:
            checked = self.data.getlist(self.add_prefix("permissions"))
        else:
            checked = self.fields["permissions"].initial or []
        return build_matrix(self.fields["permissions"].queryset, checked)


USER_FIELDS = ["username", "first_name", "last_name", "email", "phone", "job_title", "team",
               "groups", "is_active"]


class UserFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["groups"].queryset = Group.objects.order_by("name")
        self.fields["groups"].help_text = "What the user may see and do."

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another user already has this email address.")
        return email


class UserMeta:
    model = User
    fields = USER_FIELDS
    field_classes = {"username": UsernameField}
    labels = {"groups": "Roles", "is_active": "Active (can log in)"}
    widgets = {"groups": forms.CheckboxSelectMultiple}


class UserCreateForm(UserFieldsMixin, StyledFormMixin, BaseUserCreationForm):
    Meta = UserMeta


class UserEditForm(UserFieldsMixin, StyledModelForm):
    Meta = UserMeta


class TeamForm(StyledModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A user belongs to one team: adding them here moves them from their old team.",
    )

    class Meta:
        model = Team
        fields = ["name", "leader"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Inactive users are offered only where they already are, so saving keeps them.
        current = Q(pk=self.instance.leader_id)
        self.fields["leader"].queryset = User.objects.filter(Q(is_active=True) | current)
        if self.instance.pk:
            members = Q(team=self.instance)
            self.fields["members"].queryset = User.objects.filter(Q(is_active=True) | members)
            self.fields["members"].initial = list(
                self.instance.members.values_list("pk", flat=True))
