import pytest

from crmconnect.company.models import CompanySettings

# A transactional test starts after another one may have flushed the migrations' seed rows
# (roles, VAT rates), so it relies on none of them: the user is a superuser.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")


def test_settings_in_the_browser(page, make_user):
    log_in(page, make_user(is_superuser=True))
    page.goto("/admin/settings")
    sector = page.locator("#id_sector")
    assert not sector.is_visible()  # only for Bucharest
    page.select_option("#id_county", "RO-B")
    assert sector.is_visible()
    page.select_option("#id_sector", "SECTOR3")
    page.fill("#id_legal_name", "Browser Test SRL")
    page.fill("#id_cui", "RO 18547290")
    page.click("text=Save settings")
    page.wait_for_selector("text=Company settings saved.")
    company = CompanySettings.load()
    assert (company.legal_name, company.cui, company.county, company.sector) == (
        "Browser Test SRL", "RO18547290", "RO-B", "SECTOR3")
