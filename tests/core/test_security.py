import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "crmconnect.settings.production",
    "SECRET_KEY": "x8#Kq2!vL0p@Zr7$Tm4^Wn9&Yb3*Hc6(Jd1)Fg5_Ss8+Ee2=Aa0-Uu7~Ii4",
    "ALLOWED_HOSTS": "crm.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, **env):
    """manage.py in a process that sees only `env` (and PATH), as a deployment would: nothing
    of the test run's environment (DJANGO_ALLOW_ASYNC_UNSAFE, DATABASE_URL…) leaks in."""
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=120,
        check=False)


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "?:" not in output, output
    assert "no issues" in output


def test_production_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_hardening():
    result = manage(
        "shell", "--verbosity", "0", "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)",
        **PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "31536000", "True", "False"], result.stderr


@pytest.mark.parametrize("url, logged_in", [("/accounts/login/", False), ("/admin", True)])
def test_headers_on_every_page(client, admin_user, url, logged_in):
    if logged_in:
        client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url, login", [
    ("/admin", "/accounts/login/?next=/admin"),
    ("/", "/accounts/login/?next=/"),
    ("/django-admin/", "/django-admin/login/?next=/django-admin/"),
])
def test_anonymous_visitors_are_sent_to_log_in(db, client, url, login):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == login


def test_session_cookie_is_http_only(client, admin_user):
    response = client.post("/accounts/login/", {"username": admin_user.username,
                                                "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"
