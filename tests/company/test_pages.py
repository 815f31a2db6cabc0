from crmconnect.company.models import VatRate
from crmconnect.staff import roles


def test_every_page_answers_an_administrator(admin_client):
    rate = VatRate.objects.first()
    for url in ("/admin/settings", "/admin/settings/vat-rates", "/admin/settings/vat-rates/add",
                f"/admin/settings/vat-rates/{rate.pk}/edit"):
        assert admin_client.get(url).status_code == 200, url


def test_menu_links_by_permission(admin_client, login_as, make_user):
    page = admin_client.get("/admin").content.decode()
    assert 'href="/admin/settings"' in page and 'href="/admin/settings/vat-rates"' in page
    agent_page = login_as(make_user(roles.SALES_AGENT)).get("/admin").content.decode()
    assert 'href="/admin/settings"' not in agent_page


def test_django_admin_pages(client, make_user):
    superuser = make_user(roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/django-admin/company/vatrate/").status_code == 200
    page = client.get("/django-admin/company/companysettings/1/change/").content.decode()
    assert 'name="smtp_password"' not in page
