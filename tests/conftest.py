"""Shared fixtures: users per role, a real SMTP server (aiosmtpd), Chromium through
Playwright, and the query-count helper every list page uses."""

import os
import shutil
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crmconnect.staff import roles

from .factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason):
    """Outside CI a missing service skips the test; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped for a missing service)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed portal lookups and logins are counted per address in the cache: start each test
    at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL")


# --- users -------------------------------------------------------------------------------

@pytest.fixture
def make_user(db):
    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)
    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(roles.ADMINISTRATOR, username="boss")


@pytest.fixture
def sdr(db):
    return UserFactory(role=roles.SDR, username="sdr")


@pytest.fixture
def agent(db):
    return UserFactory(role=roles.SALES_AGENT, username="agent", first_name="Andrei",
                       last_name="Agent")


@pytest.fixture
def other_agent(db):
    return UserFactory(role=roles.SALES_AGENT, username="other-agent")


@pytest.fixture
def key_account_manager(db):
    return UserFactory(role=roles.KEY_ACCOUNT_MANAGER, username="kam")


@pytest.fixture
def manager(db):
    return UserFactory(role=roles.SALES_MANAGER, username="manager")


@pytest.fixture
def sales_admin(db):
    return UserFactory(role=roles.SALES_ADMIN, username="sales-admin")


@pytest.fixture
def finance(db):
    return UserFactory(role=roles.FINANCE, username="finance")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def login_as(client):
    def login(user):
        client.force_login(user)
        return client
    return login


# --- query counts ------------------------------------------------------------------------

@pytest.fixture
def assert_constant_queries(client):
    """assert_constant_queries(url, add_rows) requests `url`, calls `add_rows()` to grow the
    data, requests it again and asserts the number of queries did not change."""
    def check(url, add_rows, *, user=None):
        if user is not None:
            client.force_login(user)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(ctx.captured_queries), ctx

        before, _ = count()
        add_rows()
        after, ctx = count()
        assert after == before, (
            f"{url}: {before} queries before, {after} after adding rows:\n"
            + "\n".join(q["sql"] for q in ctx.captured_queries))
        return after
    return check


# --- real SMTP ---------------------------------------------------------------------------

class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        from email import message_from_bytes, policy

        self.messages.append({
            "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
            "message": message_from_bytes(envelope.content, policy=policy.default),
        })
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1; `.messages` holds what it received, `.port` its port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    inbox.host = "127.0.0.1"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def company_smtp(db, smtp_server, settings):
    """Company settings pointed at the test SMTP server and mail sent through them."""
    from crmconnect.company.models import CompanySettings

    settings.EMAIL_BACKEND = "crmconnect.company.mail.CompanyEmailBackend"
    company = CompanySettings.load()
    company.smtp_host = smtp_server.host
    company.smtp_port = smtp_server.port
    company.smtp_security = "none"
    company.mail_from = "office@crmconnect.example.com"
    company.save()
    return smtp_server


# --- browser -----------------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
