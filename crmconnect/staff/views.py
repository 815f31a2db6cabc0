from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import Group
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import action_result, form_methods, form_page, posted
from crmconnect.core.pagination import paginate

from . import services
from .filters import UserFilter
from .forms import RoleForm, TeamForm, UserCreateForm, UserEditForm
from .models import Team, User
from .permission_matrix import COLUMNS
from .roles import ROLES


def _form_page(request, form, save, *, noun, template, success_url, context):
    def on_valid(data):
        saved = save(data)
        messages.success(request, f"{noun} {saved} saved.")
        return redirect(success_url)

    return form_page(request, form, template, context, on_valid)


# --- roles -------------------------------------------------------------------------------

@require_GET
@permission_required("auth.view_group", raise_exception=True)
def roles(request):
    rows = (Group.objects
            .annotate(member_count=Count("user", distinct=True),
                      permission_count=Count("permissions", distinct=True))
            .order_by("name"))
    return render(request, "staff/roles.html", {"roles": rows, "built_in": ROLES})


def _role_page(request, role=None):
    form = RoleForm(posted(request), instance=role)

    def save(data):
        if role is None:
            return services.role_create(actor=request.user, name=data["name"],
                                        permissions=data["permissions"])
        return services.role_update(actor=request.user, role=role, name=data["name"],
                                    permissions=data["permissions"])

    return _form_page(request, form, save, noun="Role", template="staff/role_form.html",
                      success_url="staff:roles",
                      context={"role": role, "heading": role and role.name,
                               "columns": [label for _, label in COLUMNS]})


@form_methods
@permission_required("auth.add_group", raise_exception=True)
def role_add(request):
    return _role_page(request)


@form_methods
@permission_required("auth.change_group", raise_exception=True)
def role_edit(request, pk):
    return _role_page(request, get_object_or_404(Group, pk=pk))


@require_POST
@permission_required("auth.delete_group", raise_exception=True)
def role_delete(request, pk):
    role = get_object_or_404(Group, pk=pk)
    return action_result(request, lambda: services.role_delete(actor=request.user, role=role),
                         success=f"Role {role.name} deleted.", redirect_to="staff:roles")


# --- staff accounts ----------------------------------------------------------------------

@require_GET
@permission_required("staff.view_user", raise_exception=True)
def users(request):
    queryset = User.objects.select_related("team").prefetch_related("groups")
    filters = UserFilter(request.GET, queryset=queryset)
    return render(request, "staff/users.html",
                  {"filter": filters, "page_obj": paginate(request, filters.qs, 50)})


def _user_values(data):
    return {field: data[field] for field in services.USER_FIELDS}


@form_methods
@permission_required("staff.add_user", raise_exception=True)
def user_add(request):
    form = UserCreateForm(posted(request))

    def save(data):
        return services.user_create(actor=request.user, password=data["password1"],
                                    groups=data["groups"], **_user_values(data))

    return _form_page(request, form, save, noun="Staff member", template="staff/user_form.html",
                      success_url="staff:users", context={"account": None})


@form_methods
@permission_required("staff.change_user", raise_exception=True)
def user_edit(request, pk):
    account = get_object_or_404(User, pk=pk)
    heading = str(account)
    form = UserEditForm(posted(request), instance=account)

    def save(data):
        return services.user_update(actor=request.user, user=account, groups=data["groups"],
                                    **_user_values(data))

    return _form_page(request, form, save, noun="Staff member", template="staff/user_form.html",
                      success_url="staff:users", context={"account": account, "heading": heading})


# --- teams -------------------------------------------------------------------------------

@require_GET
@permission_required("staff.view_team", raise_exception=True)
def teams(request):
    rows = Team.objects.select_related("leader").annotate(member_count=Count("members"))
    return render(request, "staff/teams.html", {"teams": rows})


def _team_page(request, team=None):
    form = TeamForm(posted(request), instance=team)

    def save(data):
        values = {"name": data["name"], "leader": data["leader"], "members": data["members"]}
        if team is None:
            return services.team_create(actor=request.user, **values)
        return services.team_update(actor=request.user, team=team, **values)

    return _form_page(request, form, save, noun="Team", template="staff/team_form.html",
                      success_url="staff:teams",
                      context={"team": team, "heading": team and team.name})


@form_methods
@permission_required("staff.add_team", raise_exception=True)
def team_add(request):
    return _team_page(request)


@form_methods
@permission_required("staff.change_team", raise_exception=True)
def team_edit(request, pk):
    return _team_page(request, get_object_or_404(Team, pk=pk))


@require_POST
@permission_required("staff.delete_team", raise_exception=True)
def team_delete(request, pk):
    team = get_object_or_404(Team, pk=pk)
    return action_result(request, lambda: services.team_delete(actor=request.user, team=team),
                         success=f"Team {team.name} deleted.", redirect_to="staff:teams")
