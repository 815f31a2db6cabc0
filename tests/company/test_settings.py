import re

import pytest

from crmconnect.activity.models import Activity
from crmconnect.company.models import CompanySettings
from crmconnect.staff import roles
from tests.factories import VALID_IBANS

from .conftest import SETTINGS_URL


def post(client, data, **overrides):
    return client.post(SETTINGS_URL, {**data, **overrides})


def test_administrator_sees_the_settings_sections(admin_client, company):
    response = admin_client.get(SETTINGS_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("Company", "Address", "Bank", "Defaults", "Email (SMTP)"):
        assert f"<legend class=\"h5\">{section}</legend>" in page
    assert 'value="RO-B"' in page  # counties by ISO 3166-2:RO code
    assert "Send test email" in page


def test_valid_save_normalises_and_logs_the_change(admin_client, admin_user, settings_data):
    response = post(admin_client, settings_data)
    assert response.status_code == 302
    company = CompanySettings.load()
    assert company.legal_name == "Demo Distribution SRL"
    assert company.cui == "RO18547290"
    assert company.iban == VALID_IBANS[0]
    assert company.reg_com == "J40/1234/2020"
    activity = Activity.objects.get(event="settings.updated")
    assert activity.actor == admin_user
    assert activity.changes["legal_name"] == ["", "Demo Distribution SRL"]
    assert activity.changes["cui"] == ["", "RO18547290"]
    assert "smtp_password" not in activity.changes


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cui", "18547291", "The check digit of this CUI/CIF is wrong"),
    ("iban", "RO49AAAA1B31007593840001", "Enter a valid IBAN"),
    ("email", "office-at-demo", "Enter a valid email address."),
    ("mail_from", "no-reply@", "Enter a valid email address."),
    ("reg_com", "40/1234", "Enter the Trade Register number"),
    ("smtp_port", "70000", "less than or equal to 65535"),
])
def test_invalid_value_rerenders_with_the_input_and_saves_nothing(
        admin_client, settings_data, field, value, message):
    response = post(admin_client, settings_data, **{field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page
    assert 'value="Demo Distribution SRL"' in page  # the other fields keep the input too
    assert "is-invalid" in page
    assert CompanySettings.load().legal_name == ""
    assert not Activity.objects.filter(event="settings.updated").exists()


def test_bucharest_needs_a_sector_and_only_bucharest_has_one(admin_client, settings_data):
    response = post(admin_client, settings_data, county="RO-B", sector="")
    assert "Choose the Bucharest sector." in response.content.decode()
    response = post(admin_client, settings_data, county="RO-CJ", sector="SECTOR2")
    assert "A sector applies only to Bucharest" in response.content.decode()
    assert CompanySettings.load().county == ""
    assert post(admin_client, settings_data, county="RO-B", sector="SECTOR2").status_code == 302
    assert CompanySettings.load().address_lines[-1] == "Sector 2, București, 400001"


def test_smtp_password_is_kept_when_left_blank_and_never_shown(admin_client, company,
                                                             settings_data):
    company.smtp_password = "stored-secret"
    company.save()
    assert "stored-secret" not in admin_client.get(SETTINGS_URL).content.decode()
    post(admin_client, settings_data, smtp_host="mail.example.com", smtp_password="")
    company.refresh_from_db()
    assert company.smtp_host == "mail.example.com"
    assert company.smtp_password == "stored-secret"


def test_a_new_smtp_password_is_saved_and_masked_in_the_log(admin_client, company,
                                                          settings_data):
    company.smtp_password = "stored-secret"
    company.save()
    post(admin_client, settings_data, smtp_password="new-secret")
    company.refresh_from_db()
    assert company.smtp_password == "new-secret"
    changes = Activity.objects.get(event="settings.updated").changes
    assert changes["smtp_password"] == ["***", "***"]
    assert "secret" not in str(changes)


def test_sales_agent_is_refused_the_settings(login_as, make_user, settings_data):
    client = login_as(make_user(roles.SALES_AGENT))
    assert client.get(SETTINGS_URL).status_code == 403
    assert post(client, settings_data).status_code == 403
    assert CompanySettings.load().legal_name == ""


def test_a_viewer_sees_the_settings_read_only_and_cannot_save(login_as, make_user,
                                                            settings_data):
    client = login_as(make_user(roles.SALES_ADMIN))
    response = client.get(SETTINGS_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<input[^>]*name="legal_name"[^>]*disabled', page)
    assert re.search(r'<select[^>]*name="county"[^>]*disabled', page)
    assert "Save settings" not in page
    assert "Send test email" not in page
    assert post(client, settings_data).status_code == 403
    assert CompanySettings.load().legal_name == ""
