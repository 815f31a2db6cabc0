import pytest
from django.contrib.auth.models import Group, Permission

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from crmconnect.staff.models import User
from tests.factories import TeamFactory, UserFactory

NEW_PASSWORD = "Strong-pass-2026"


@pytest.fixture
def new_user_data(role):
    return {
        "username": "maria", "first_name": "Maria", "last_name": "Ionescu",
        "email": "maria@example.com", "phone": "+40 700 000 000", "job_title": "Sales agent",
        "groups": [role(roles.SALES_AGENT).pk], "is_active": "on",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    }


def edit_data(user, **overrides):
    data = {field: getattr(user, field) for field in
            ("username", "first_name", "last_name", "email", "phone", "job_title")}
    data["groups"] = list(user.groups.values_list("pk", flat=True))
    data["team"] = user.team_id or ""
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_a_staff_member(admin_client, admin_user, new_user_data):
    response = admin_client.post("/admin/staff/add", new_user_data)
    assert response.status_code == 302
    maria = User.objects.get(username="maria")
    assert maria.check_password(NEW_PASSWORD)
    assert maria.role_names == roles.SALES_AGENT
    assert maria.has_perm("clients.add_client")
    activity = Activity.objects.get(event="user.created")
    assert activity.actor == admin_user
    assert activity.changes == {"roles": [[], [roles.SALES_AGENT]]}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"email": "maria-at-example"}, "Enter a valid email address."),
    ({"password2": "Other-pass-2026"}, "The two password fields didn’t match."),
    ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
    ({"username": "boss"}, "A user with that username already exists."),
    ({"email": "BOSS@example.com"}, "Another user already has this email address."),
])
def test_invalid_user_rerenders_with_messages(admin_client, new_user_data, overrides, message):
    response = admin_client.post("/admin/staff/add", {**new_user_data, **overrides})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Ionescu"' in page
    assert NEW_PASSWORD not in page  # passwords are not sent back
    assert not User.objects.filter(first_name="Maria").exists()


def test_edit_a_staff_member(admin_client, make_user, role):
    team = TeamFactory(name="North")
    agent = make_user(roles.SALES_AGENT, username="ion")
    response = admin_client.post(f"/admin/staff/{agent.pk}", edit_data(
        agent, job_title="Senior agent", team=team.pk,
        groups=[role(roles.ACCOUNT_MANAGER).pk]))
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.job_title == "Senior agent"
    assert agent.team == team
    assert agent.role_names == roles.ACCOUNT_MANAGER
    changes = Activity.objects.get(event="user.updated").changes
    assert changes["job_title"] == ["", "Senior agent"]
    assert changes["team"] == [None, "North"]
    assert changes["roles"] == [[roles.SALES_AGENT], [roles.ACCOUNT_MANAGER]]


def test_deactivate_a_staff_member(admin_client, make_user):
    agent = make_user(roles.SALES_AGENT)
    admin_client.post(f"/admin/staff/{agent.pk}", edit_data(agent, is_active=None))
    agent.refresh_from_db()
    assert not agent.is_active


def test_an_administrator_cannot_remove_their_own_administrator_role(admin_client, admin_user,
                                                                     role):
    response = admin_client.post(f"/admin/staff/{admin_user.pk}", edit_data(
        admin_user, groups=[role(roles.SALES_MANAGER).pk]))
    assert response.status_code == 200
    assert "You cannot remove your own Administrator role." in response.content.decode()
    assert admin_user.groups.filter(name=roles.ADMINISTRATOR).exists()
    assert not admin_user.groups.filter(name=roles.SALES_MANAGER).exists()


def test_an_administrator_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(f"/admin/staff/{admin_user.pk}",
                                 edit_data(admin_user, is_active=None))
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_another_administrator_can_be_demoted(admin_client, make_user, role):
    other = make_user(roles.ADMINISTRATOR)
    admin_client.post(f"/admin/staff/{other.pk}",
                      edit_data(other, groups=[role(roles.FINANCE).pk]))
    assert other.role_names == roles.FINANCE


def test_a_staff_manager_cannot_hand_out_a_bigger_role(login_as, make_user, role,
                                                       new_user_data):
    hr = Group.objects.create(name="HR")
    hr.permissions.add(*Permission.objects.filter(
        content_type__app_label="staff", codename__in=["view_user", "add_user", "change_user"]))
    client = login_as(make_user("HR"))
    response = client.post("/admin/staff/add", {
        **new_user_data, "groups": [role(roles.ADMINISTRATOR).pk]})
    assert response.status_code == 200
    assert "You cannot give the role Administrator" in response.content.decode()
    assert not User.objects.filter(username="maria").exists()
    agent = make_user(roles.SALES_AGENT)
    client.post(f"/admin/staff/{agent.pk}", edit_data(agent, groups=[role("HR").pk]))
    assert agent.role_names == "HR"  # a role within their own permissions is fine


def test_staff_list_filters(admin_client, make_user):
    team = TeamFactory()
    in_team = make_user(roles.SALES_AGENT, team=team, username="inteam")
    make_user(roles.FINANCE, username="accountant")
    make_user(roles.SALES_AGENT, username="gone", is_active=False)
    role_pk = Group.objects.get(name=roles.SALES_AGENT).pk

    def listed(query):
        response = admin_client.get(f"/admin/staff?{query}")
        assert response.status_code == 200
        return {user.username for user in response.context["page_obj"]}

    assert listed(f"role={role_pk}") == {"inteam", "gone"}
    assert listed(f"team={team.pk}") == {in_team.username}
    assert listed("is_active=false") == {"gone"}
    assert listed("") >= {"inteam", "accountant", "gone", "boss"}
    assert listed("o=-username")


@pytest.mark.parametrize("url", ["/admin/staff", "/admin/staff/add"])
def test_sales_agent_is_refused_staff_pages(login_as, make_user, url):
    client = login_as(make_user(roles.SALES_AGENT))
    assert client.get(url).status_code == 403


def test_sales_manager_sees_staff_but_cannot_change_it(login_as, make_user):
    agent = make_user(roles.SALES_AGENT)
    client = login_as(make_user(roles.SALES_MANAGER))
    assert client.get("/admin/staff").status_code == 200
    assert client.get(f"/admin/staff/{agent.pk}").status_code == 403
    assert client.post(f"/admin/staff/{agent.pk}", edit_data(agent, is_active=None)) \
        .status_code == 403
    agent.refresh_from_db()
    assert agent.is_active


def test_staff_list_query_count_is_constant(assert_constant_queries, admin_user):
    def add_rows():
        team = TeamFactory()
        for role_name in (roles.SALES_AGENT, roles.FINANCE, roles.SDR):
            user = UserFactory(role=role_name, team=team)
            user.groups.add(Group.objects.get(name=roles.SALES_ADMIN))

    assert_constant_queries("/admin/staff", add_rows, user=admin_user)


def test_administrators_get_django_admin_access_and_lose_it_with_the_role(
        admin_client, admin_user, new_user_data, role):
    admin_role = role(roles.ADMINISTRATOR)
    response = admin_client.post("/admin/staff/add",
                                 {**new_user_data, "groups": [admin_role.pk]})
    assert response.status_code == 302
    maria = User.objects.get(username="maria")
    assert maria.is_staff
    admin_client.force_login(maria)
    assert admin_client.get("/django-admin/").status_code == 200

    admin_client.force_login(admin_user)
    admin_client.post(f"/admin/staff/{maria.pk}",
                                 edit_data(maria, groups=[role(roles.SALES_AGENT).pk]))
    maria.refresh_from_db()
    assert not maria.is_staff
