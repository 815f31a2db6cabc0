import socket

import pytest
from django.core import mail

from crmconnect.company.models import CompanySettings
from crmconnect.staff import roles

URL = "/admin/settings/test-email"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_test_email_arrives_at_the_smtp_server(admin_client, company_smtp):
    response = admin_client.post(URL, {"to": "me@example.com"}, follow=True)
    assert messages_of(response) == ["Test email sent to me@example.com."]
    assert len(company_smtp.messages) == 1
    received = company_smtp.messages[0]
    assert received["to"] == ["me@example.com"]
    assert received["from"] == "office@crmconnect.example.com"
    assert received["message"]["Subject"] == "CRMconnect test email"


def test_test_email_without_smtp_host_says_so_and_sends_nothing(admin_client, settings):
    settings.EMAIL_BACKEND = "crmconnect.company.mail.CompanyEmailBackend"
    response = admin_client.post(URL, {"to": "me@example.com"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["SMTP is not configured: fill in the SMTP host first."]
    assert mail.outbox == []


def test_test_email_against_a_closed_port_reports_the_error(admin_client, settings):
    settings.EMAIL_BACKEND = "crmconnect.company.mail.CompanyEmailBackend"
    settings.EMAIL_TIMEOUT = 5
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    company = CompanySettings.load()
    company.smtp_host, company.smtp_port, company.smtp_security = "127.0.0.1", closed_port, "none"
    company.save()
    response = admin_client.post(URL, {"to": "me@example.com"}, follow=True)
    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("The test email to me@example.com could not be sent: ")
    assert "refused" in message.lower()


def test_test_email_to_an_invalid_address_rerenders_the_page(admin_client, company_smtp):
    response = admin_client.post(URL, {"to": "not-an-address"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="not-an-address"' in page
    assert company_smtp.messages == []


def test_test_email_defaults_to_the_users_address(admin_client, admin_user):
    response = admin_client.get("/admin/settings")
    assert f'value="{admin_user.email}"' in response.content.decode()


@pytest.mark.parametrize("role", [roles.SALES_AGENT, roles.SALES_ADMIN])
def test_test_email_needs_the_change_permission(login_as, make_user, company_smtp, role):
    client = login_as(make_user(role))
    assert client.post(URL, {"to": "me@example.com"}).status_code == 403
    assert company_smtp.messages == []


def test_test_email_is_a_post(admin_client):
    assert admin_client.get(URL).status_code == 405
