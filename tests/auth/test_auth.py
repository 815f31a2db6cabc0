import re

import pytest
from django.conf import settings

from crmconnect.company.models import CompanySettings
from crmconnect.staff import roles

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's
LOCK_MESSAGE = "Too many failed log-in attempts"


def log_in(client, username, password, ip="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


@pytest.fixture
def agent(make_user):
    return make_user(roles.SALES_AGENT, username="ana", email="ana@example.com")


def test_login_goes_to_the_dashboard(client, agent):
    response = log_in(client, "ana", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin"
    assert client.get("/admin").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, agent):
    response = log_in(client, "ana", "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, agent):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert LOCK_MESSAGE not in log_in(client, "ana", "wrong").content.decode()
    response = log_in(client, "ana", PASSWORD)
    assert response.status_code == 200
    assert LOCK_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_counts_per_username_whatever_its_case(client, agent):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        log_in(client, "ANA", "wrong")
    assert LOCK_MESSAGE in log_in(client, "ana", PASSWORD).content.decode()


def test_a_successful_login_clears_the_failures_of_that_username(client, agent):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        log_in(client, "ana", "wrong", ip="10.0.0.1")
    assert log_in(client, "ana", PASSWORD, ip="10.0.0.1").status_code == 302
    client.post("/accounts/logout/")
    log_in(client, "ana", "wrong", ip="10.0.0.2")
    assert log_in(client, "ana", PASSWORD, ip="10.0.0.2").status_code == 302


def test_failures_from_one_address_lock_it_for_every_username(client, agent):
    for n in range(settings.LOGIN_MAX_FAILURES):
        log_in(client, f"guess{n}", "wrong", ip="10.0.0.9")
    assert LOCK_MESSAGE in log_in(client, "ana", PASSWORD, ip="10.0.0.9").content.decode()
    assert log_in(client, "ana", PASSWORD, ip="10.0.0.10").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_counted(client, agent, settings):
    settings.TRUSTED_PROXIES = 1

    def attempt(username, forwarded_for, password="wrong"):
        return client.post("/accounts/login/", {"username": username, "password": password},
                           REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    for n in range(settings.LOGIN_MAX_FAILURES):
        attempt(f"guess{n}", "10.0.0.9")
    # A forged left-most entry does not escape the lock of the real address…
    assert LOCK_MESSAGE in attempt("ana", "1.2.3.4, 10.0.0.9", PASSWORD).content.decode()
    # …and another visitor behind the same proxy is not locked out by those failures.
    assert attempt("ana", "10.0.0.10", PASSWORD).status_code == 302


@pytest.mark.parametrize("url", ["/admin", "/admin/roles", "/admin/settings", "/admin/staff",
                                 "/admin/teams", "/admin/settings/vat-rates", "/admin/staff/add"])
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_anonymous_post_is_sent_to_login_and_changes_nothing(client, db):
    response = client.post("/admin/settings", {"legal_name": "Hijacked SRL"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert CompanySettings.load().legal_name == ""


def test_logout_is_a_post(client, agent):
    client.force_login(agent)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin").status_code == 302


def test_password_change(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-42",
        "new_password2": "Brand-new-pass-42",
    })
    assert response.status_code == 302
    assert response.url == "/accounts/password/change/done/"
    agent.refresh_from_db()
    assert agent.check_password("Brand-new-pass-42")


def test_password_change_with_a_wrong_old_password_keeps_the_old_one(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/password/change/", {
        "old_password": "wrong", "new_password1": "Brand-new-pass-42",
        "new_password2": "Brand-new-pass-42",
    })
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


def test_password_reset_by_email_through_smtp(client, agent, company_smtp):
    response = client.post("/accounts/password/reset/", {"email": "ana@example.com"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"

    assert len(company_smtp.messages) == 1
    received = company_smtp.messages[0]
    assert received["to"] == ["ana@example.com"]
    assert received["from"] == "office@crmconnect.example.com"
    body = received["message"].get_body(("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/[\w-]+/[\w-]+/)", body)
    assert link, body

    response = client.get(link.group(1))
    assert response.status_code == 302
    assert response.url.endswith("/set-password/")
    response = client.post(response.url, {"new_password1": "Reset-pass-2026",
                                          "new_password2": "Reset-pass-2026"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"

    assert log_in(client, "ana", PASSWORD).status_code == 200
    response = log_in(client, "ana", "Reset-pass-2026")
    assert response.status_code == 302
    assert response.url == "/admin"


def test_password_reset_for_an_unknown_address_sends_nothing(client, db, company_smtp):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert company_smtp.messages == []
