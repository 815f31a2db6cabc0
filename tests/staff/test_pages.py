import pytest
from django.contrib.auth.models import Group

from crmconnect.staff import roles
from tests.factories import TeamFactory


@pytest.fixture
def urls(admin_user):
    team = TeamFactory(leader=admin_user)
    role = Group.objects.get(name=roles.SALES_AGENT)
    return ["/admin/roles", "/admin/roles/add", f"/admin/roles/{role.pk}", "/admin/staff",
            "/admin/staff/add", f"/admin/staff/{admin_user.pk}", "/admin/teams",
            "/admin/teams/add", f"/admin/teams/{team.pk}"]


def test_every_page_answers_an_administrator(admin_client, urls):
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_menu_shows_the_settings_pages_by_permission(admin_client, login_as, make_user):
    page = admin_client.get("/admin").content.decode()
    for url in ("/admin/staff", "/admin/roles", "/admin/teams"):
        assert f'href="{url}"' in page
    manager_page = login_as(make_user(roles.SALES_MANAGER)).get("/admin").content.decode()
    assert 'href="/admin/staff"' in manager_page and 'href="/admin/teams"' in manager_page
    assert 'href="/admin/roles"' not in manager_page


def test_a_missing_record_is_404(admin_client):
    for url in ("/admin/roles/9999", "/admin/staff/9999", "/admin/teams/9999"):
        assert admin_client.get(url).status_code == 404, url


def test_built_in_roles_offer_no_delete_button(admin_client):
    page = admin_client.get("/admin/roles").content.decode()
    assert "/delete" not in page
    Group.objects.create(name="Intern")
    assert "/delete" in admin_client.get("/admin/roles").content.decode()


def test_django_admin_lists_staff(client, make_user):
    superuser = make_user(roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/django-admin/staff/user/").status_code == 200
    assert client.get("/django-admin/staff/user/add/").status_code == 200
    assert client.get(f"/django-admin/staff/user/{superuser.pk}/change/").status_code == 200
    assert client.get("/django-admin/staff/team/").status_code == 200
