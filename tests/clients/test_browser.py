import pytest
from playwright.sync_api import expect

from crmconnect.clients.models import Client
from crmconnect.staff import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")


def test_add_a_client_with_a_contact(page, make_user):
    agent = make_user(roles.SALES_AGENT)
    log_in(page, agent)
    page.goto("/admin/clients")
    page.click("text=Add client >> nth=0")
    page.wait_for_url("**/admin/clients/add")
    expect(page.locator("#id_sector")).to_be_hidden()  # only for Bucharest (a deferred script)
    page.fill("#id_name", "Browser Client SRL")
    page.fill("#id_cui", "RO 18547291")
    page.check("#id_vat_payer")
    page.fill("#id_iban", "RO49 AAAA 1B31 0075 9384 0000")
    page.click("button[type=submit]:has-text('Add client')")

    page.wait_for_selector("text=The check digit of this CUI/CIF is wrong")
    assert page.input_value("#id_cui") == "RO 18547291"
    assert page.input_value("#id_name") == "Browser Client SRL"
    assert not Client.objects.exists()

    page.fill("#id_cui", "RO 18547290")
    page.click("button[type=submit]:has-text('Add client')")
    page.wait_for_selector("text=Client “Browser Client SRL” added.")
    assert page.is_visible("text=RO49 AAAA 1B31 0075 9384 0000")

    page.click("#contacts-tab")
    page.click("text=Add contact")
    page.fill("#id_first_name", "Ana")
    page.fill("#id_last_name", "Pop")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=Contact Ana Pop added.")
    assert page.locator("#contacts").is_visible()  # back on the contacts tab
    assert page.locator("#contacts >> text=Primary").is_visible()

    client = Client.objects.get()
    assert client.cui == "RO18547290"
    assert client.owner == agent
    assert client.primary_contact.first_name == "Ana"

    page.click("text=All clients")
    page.wait_for_url("**/admin/clients")
    row = page.locator("table tbody tr", has_text="Browser Client SRL")
    assert row.locator("text=RO18547290").is_visible()

    page.fill("input[name=q][aria-label=Search]", "Browser")
    page.wait_for_selector("#search-results >> text=Browser Client SRL")
