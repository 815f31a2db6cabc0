"""Changing roles, staff accounts and teams. Nobody can hand out permissions they do not hold
themselves, nor lock themselves out of the pages they are using."""


from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes

from .models import Team, User
from .permission_matrix import manageable_permissions
from .roles import ADMINISTRATOR, ROLES


def _perm_names(permissions):
    return {f"{perm.content_type.app_label}.{perm.codename}" for perm in permissions}


def _check_can_grant(actor, perm_names, field, what):
    if actor.is_superuser:
        return
    missing = sorted(perm_names - actor.get_all_permissions())
    if missing:
        raise ValidationError({field: f"You cannot give {what}: it includes permissions you do "
                                      f"not have yourself ({', '.join(missing)})."})


def _role_permissions(role):
    return set(role.permissions.select_related("content_type"))


# --- roles -------------------------------------------------------------------------------

def _set_role_permissions(*, actor, role, permissions):
    """Replace the manageable permissions of `role` by `permissions`; returns (added, removed)
    as sorted "app.codename" lists. Permissions outside the matrix stay as they are."""
    manageable = set(manageable_permissions())
    current = _role_permissions(role)
    wanted = set(permissions) & manageable
    added, removed = wanted - current, (current & manageable) - wanted
    _check_can_grant(actor, _perm_names(added), "permissions", "these permissions")
    if removed and not actor.is_superuser and actor.groups.filter(pk=role.pk).exists():
        new = (current - removed) | added
        keeps = any(p.content_type.app_label == "auth" and p.codename == "change_group"
                    for p in new)
        if not keeps and not (actor.groups.exclude(pk=role.pk)
                              .filter(permissions__codename="change_group",
                                      permissions__content_type__app_label="auth").exists()):
            raise ValidationError({"permissions": "You are in this role: removing its right to "
                                                  "edit roles would lock you out of this page."})
    role.permissions.remove(*removed)
    role.permissions.add(*added)
    return sorted(_perm_names(added)), sorted(_perm_names(removed))


@transaction.atomic
def role_create(*, actor, name, permissions):
    role = Group.objects.create(name=name)
    added, _ = _set_role_permissions(actor=actor, role=role, permissions=permissions)
    activity_record(actor=actor, event="role.created", record=role,
                    description=f"Role {role.name} created",
                    changes={"permissions_added": added})
    return role


@transaction.atomic
def role_update(*, actor, role, name, permissions):
    role = Group.objects.select_for_update().get(pk=role.pk)
    changes = {}
    if name != role.name:
        if role.name in ROLES:
            raise ValidationError({"name": "A built-in role keeps its name."})
        changes["name"] = [role.name, name]
        role.name = name
        role.save(update_fields=["name"])
    added, removed = _set_role_permissions(actor=actor, role=role, permissions=permissions)
    if added:
        changes["permissions_added"] = added
    if removed:
        changes["permissions_removed"] = removed
    if changes:
        activity_record(actor=actor, event="role.updated", record=role, changes=changes,
                        description=f"Role {role.name} updated")
    return role


@transaction.atomic
def role_delete(*, actor, role):
    role = Group.objects.select_for_update().get(pk=role.pk)
    if role.name in ROLES:
        raise ValidationError(f"{role.name} is a built-in role: it cannot be deleted.")
    members = role.user_set.count()
    if members:
        raise ValidationError(f"The role {role.name} still has {members} member"
                              f"{'s' if members != 1 else ''}: give them another role first.")
    name = role.name
    role.delete()
    activity_record(actor=actor, event="role.deleted", description=f"Role {name} deleted",
                    changes={"name": [name, None]})


# --- staff accounts ----------------------------------------------------------------------

USER_FIELDS = ["username", "first_name", "last_name", "email", "phone", "job_title", "team",
               "is_active"]


def _check_roles_granted(actor, added_roles):
    for role in added_roles:
        _check_can_grant(actor, _perm_names(_role_permissions(role)), "groups",
                         f"the role {role.name}")


def _django_admin_access(roles):
    """Administrators also work in Django's admin (/django-admin/), which needs `is_staff`."""
    return any(role.name == ADMINISTRATOR for role in roles)


@transaction.atomic
def user_create(*, actor, password, groups, **values):
    _check_roles_granted(actor, groups)
    user = User()
    apply_changes(user, values, USER_FIELDS)
    user.is_staff = _django_admin_access(groups)
    user.set_password(password)
    user.save()
    user.groups.set(groups)
    activity_record(actor=actor, event="user.created", record=user,
                    description=f"Staff account {user.username} created",
                    changes={"roles": [[], sorted(group.name for group in groups)]})
    return user


@transaction.atomic
def user_update(*, actor, user, groups, **values):
    user = User.objects.select_for_update().get(pk=user.pk)
    old_roles = set(user.groups.all())
    new_roles = set(groups)
    if user.pk == actor.pk:
        errors = {}
        if not values.get("is_active", user.is_active):
            errors["is_active"] = "You cannot deactivate your own account."
        if any(role.name == ADMINISTRATOR for role in old_roles - new_roles):
            errors["groups"] = "You cannot remove your own Administrator role."
        if errors:
            raise ValidationError(errors)
    _check_roles_granted(actor, new_roles - old_roles)
    changes = apply_changes(user, values, USER_FIELDS)
    user.is_staff = _django_admin_access(new_roles)
    user.save()
    user.groups.set(new_roles)
    if old_roles != new_roles:
        changes["roles"] = [sorted(r.name for r in old_roles), sorted(r.name for r in new_roles)]
    if changes:
        activity_record(actor=actor, event="user.updated", record=user, changes=changes,
                        description=f"Staff account {user.username} updated")
    return user


# --- teams -------------------------------------------------------------------------------

def _set_members(team, members):
    """Make `members` the team's members; returns (added, removed) usernames."""
    current = set(team.members.all())
    wanted = set(members)
    added, removed = wanted - current, current - wanted
    User.objects.filter(pk__in=[u.pk for u in added]).update(team=team)
    User.objects.filter(pk__in=[u.pk for u in removed]).update(team=None)
    return sorted(u.username for u in added), sorted(u.username for u in removed)


@transaction.atomic
def team_create(*, actor, name, leader, members):
    team = Team.objects.create(name=name, leader=leader)
    added, _ = _set_members(team, members)
    activity_record(actor=actor, event="team.created", record=team,
                    description=f"Team {team.name} created", changes={"members_added": added})
    return team


@transaction.atomic
def team_update(*, actor, team, name, leader, members):
    team = Team.objects.select_for_update().get(pk=team.pk)
    changes = apply_changes(team, {"name": name, "leader": leader}, ["name", "leader"])
    team.save()
    added, removed = _set_members(team, members)
    if added:
        changes["members_added"] = added
    if removed:
        changes["members_removed"] = removed
    if changes:
        activity_record(actor=actor, event="team.updated", record=team, changes=changes,
                        description=f"Team {team.name} updated")
    return team


@transaction.atomic
def team_delete(*, actor, team):
    team = Team.objects.select_for_update().get(pk=team.pk)
    name = team.name
    team.delete()
    activity_record(actor=actor, event="team.deleted", description=f"Team {name} deleted",
                    changes={"name": [name, None]})
