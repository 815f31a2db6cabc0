import pytest
from django.contrib.auth.models import Group, Permission

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from crmconnect.staff.permission_matrix import manageable_permissions
from tests.factories import UserFactory

MODULES = tuple(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR])  # every app with permissions


def perm(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def names(group, app_labels=MODULES):
    return {f"{app}.{code}" for app, code in group.permissions.filter(
        content_type__app_label__in=app_labels).values_list("content_type__app_label",
                                                             "codename")}


def matrix_post(group, add=(), remove=(), **extra):
    ids = {p.pk for p in manageable_permissions().filter(group=group)}
    ids |= {perm(name).pk for name in add}
    ids -= {perm(name).pk for name in remove}
    return {"permissions": sorted(ids), **extra}


def test_roles_page_lists_the_eight_roles(admin_client, admin_user):
    response = admin_client.get("/admin/roles")
    assert response.status_code == 200
    listed = {row.name: row for row in response.context["roles"]}
    assert set(listed) == set(roles.ROLES)
    assert listed[roles.ADMINISTRATOR].member_count == 1
    assert listed[roles.SALES_AGENT].permission_count == sum(
        len(perms) for perms in roles.ROLE_PERMISSIONS[roles.SALES_AGENT].values())


@pytest.mark.parametrize("role_name", roles.ROLES)
def test_seeded_permissions_match_roles_py(role, role_name):
    expected = set()
    for app_label, wanted in roles.ROLE_PERMISSIONS[role_name].items():
        if wanted == roles.ALL:
            expected |= {f"{app_label}.{code}" for code in Permission.objects.filter(
                content_type__app_label=app_label).values_list("codename", flat=True)}
        else:
            expected |= set(wanted)
    assert names(role(role_name)) == expected


def test_seeded_scope_of_the_sales_roles(role):
    agent, manager = names(role(roles.SALES_AGENT)), names(role(roles.SALES_MANAGER))
    assert "clients.view_client" in agent and "clients.add_client" in agent
    assert "clients.view_all_client" not in agent
    assert "company.view_companysettings" not in agent
    assert "auth.view_group" not in agent
    assert "clients.view_all_client" in manager
    assert "activity.view_all_task" in manager


def test_administrator_has_every_permission_of_the_modules(role):
    every = {f"{app}.{code}" for app, code in Permission.objects.filter(
        content_type__app_label__in=MODULES).values_list("content_type__app_label",
                                                            "codename")}
    assert names(role(roles.ADMINISTRATOR)) == every


def test_role_page_shows_the_matrix_of_our_modules_only(admin_client, role):
    response = admin_client.get(f"/admin/roles/{role(roles.SALES_AGENT).pk}")
    assert response.status_code == 200
    modules = [module.label for module in response.context["form"].matrix()]
    assert modules[0] == "Roles"
    assert {"Staff and roles", "Company settings"} <= set(modules)
    page = response.content.decode()
    assert 'aria-label="Clients: View all"' in page
    assert 'aria-label="Roles: Change"' in page
    for hidden in ("Can add session", "Can add log entry", "Can add content type",
                   "Can add permission"):
        assert hidden not in page
    view_all = perm("clients.view_all_client").pk
    view_own = perm("clients.view_client").pk
    assert f'value="{view_own}" aria-label="Clients: View" title="Can view client" checked' in page
    assert f'value="{view_all}" aria-label="Clients: View all"' in page
    assert f'value="{view_all}" aria-label="Clients: View all" title="Can view all clients, not ' \
           f'only own" checked' not in page


def test_editing_the_matrix_adds_and_removes_permissions(admin_client, admin_user, role):
    agent = role(roles.SALES_AGENT)
    data = matrix_post(agent, add=["clients.view_all_client"], remove=["clients.change_client"],
                       name="Renamed")
    response = admin_client.post(f"/admin/roles/{agent.pk}", data)
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.name == roles.SALES_AGENT  # a built-in role keeps its name
    granted = names(agent)
    assert "clients.view_all_client" in granted
    assert "clients.change_client" not in granted
    activity = Activity.objects.get(event="role.updated")
    assert activity.actor == admin_user
    assert activity.changes == {"permissions_added": ["clients.view_all_client"],
                                "permissions_removed": ["clients.change_client"]}


def test_the_matrix_leaves_permissions_outside_it_alone(admin_client, role):
    agent = role(roles.SALES_AGENT)
    session_perm = Permission.objects.get(codename="view_session")
    agent.permissions.add(session_perm)
    admin_client.post(f"/admin/roles/{agent.pk}", matrix_post(agent))
    assert agent.permissions.filter(pk=session_perm.pk).exists()


def test_an_administrator_cannot_lock_themselves_out_of_roles(admin_client, role):
    admin_role = role(roles.ADMINISTRATOR)
    data = matrix_post(admin_role, remove=["auth.change_group"])
    response = admin_client.post(f"/admin/roles/{admin_role.pk}", data)
    assert response.status_code == 200
    assert "lock you out of this page" in response.content.decode()
    assert "auth.change_group" in names(admin_role)


def test_nobody_grants_a_permission_they_lack(login_as, make_user, role):
    editor_role = Group.objects.create(name="Role editor")
    editor_role.permissions.add(perm("auth.view_group"), perm("auth.change_group"))
    client = login_as(make_user("Role editor"))
    agent = role(roles.SALES_AGENT)
    response = client.post(f"/admin/roles/{agent.pk}",
                           matrix_post(agent, remove=["clients.change_client"],
                                       add=["company.change_companysettings"]))
    assert response.status_code == 200
    assert "company.change_companysettings" in response.content.decode()
    assert names(agent) == names(role(roles.SALES_AGENT))
    assert "clients.change_client" in names(agent)


def test_add_and_delete_a_custom_role(admin_client):
    response = admin_client.post("/admin/roles/add", {
        "name": "Intern", "permissions": [perm("clients.view_client").pk]})
    assert response.status_code == 302
    intern = Group.objects.get(name="Intern")
    assert names(intern) == {"clients.view_client"}
    assert Activity.objects.filter(event="role.created", object_id=intern.pk).exists()
    response = admin_client.post(f"/admin/roles/{intern.pk}/delete")
    assert response.status_code == 302
    assert not Group.objects.filter(name="Intern").exists()


def test_a_role_with_members_cannot_be_deleted(admin_client):
    intern = Group.objects.create(name="Intern")
    UserFactory(role="Intern")
    response = admin_client.post(f"/admin/roles/{intern.pk}/delete", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["The role Intern still has 1 member: give them another role first."]
    assert Group.objects.filter(pk=intern.pk).exists()


def test_a_built_in_role_cannot_be_deleted(admin_client, role):
    finance = role(roles.FINANCE)
    response = admin_client.post(f"/admin/roles/{finance.pk}/delete", follow=True)
    assert "built-in role" in str(list(response.context["messages"])[0])
    assert Group.objects.filter(pk=finance.pk).exists()


def test_a_duplicate_role_name_is_refused(admin_client):
    response = admin_client.post("/admin/roles/add", {"name": roles.FINANCE})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/roles", "/admin/roles/add"])
@pytest.mark.parametrize("role_name", [roles.SALES_AGENT, roles.SALES_MANAGER])
def test_roles_are_refused_to_sales_roles(login_as, make_user, url, role_name):
    client = login_as(make_user(role_name))
    assert client.get(url).status_code == 403


def test_a_sales_agent_cannot_post_to_a_role(login_as, make_user, role):
    agent = role(roles.SALES_AGENT)
    client = login_as(make_user(roles.SALES_AGENT))
    data = matrix_post(agent, add=["clients.view_all_client"])
    assert client.get(f"/admin/roles/{agent.pk}").status_code == 403
    assert client.post(f"/admin/roles/{agent.pk}", data).status_code == 403
    assert client.post(f"/admin/roles/{agent.pk}/delete").status_code == 403
    assert "clients.view_all_client" not in names(agent)


def test_roles_page_query_count_is_constant(assert_constant_queries, admin_user):
    def add_rows():
        for n in range(3):
            group = Group.objects.create(name=f"Extra role {n}")
            group.permissions.add(*Permission.objects.filter(content_type__app_label="clients"))
            UserFactory.create_batch(2, role=group.name)

    assert_constant_queries("/admin/roles", add_rows, user=admin_user)
