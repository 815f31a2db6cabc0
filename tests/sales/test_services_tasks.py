"""The proposal email task (sales/tasks.py): the message, retries while the SMTP server is
down, and the agent told when the last retry fails."""

import smtplib
import socket
import threading
import time

import pytest
from django.core import mail

from crmconnect.activity.models import Notification
from crmconnect.company.models import CompanySettings
from sales.tasks import send_proposal_email

LINK = "http://127.0.0.1:8000/p/abc/"


@pytest.fixture
def smtp_down(db, settings):
    """Company settings pointing at a server that hangs up on every connection; the list
    it yields counts the connections."""
    server = socket.create_server(("127.0.0.1", 0))
    connections = []

    def hang_up():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed at the end of the test
                return
            connections.append(conn)
            conn.close()

    threading.Thread(target=hang_up, daemon=True).start()
    settings.EMAIL_BACKEND = "crmconnect.company.mail.CompanyEmailBackend"
    company = CompanySettings.load()
    company.smtp_host, company.smtp_security = "127.0.0.1", "none"
    company.smtp_port = server.getsockname()[1]
    company.save()
    yield connections
    server.close()


def test_the_email_carries_the_link_the_total_and_the_agent(sent_proposal, agent):
    proposal, _ = sent_proposal
    CompanySettings.objects.filter(pk=1).update(legal_name="Nord Soft SRL")
    send_proposal_email(proposal.pk, LINK)
    message = mail.outbox[0]
    assert message.to == [proposal.recipient_email] and message.reply_to == [agent.email]
    for text in (LINK, "Hello Ana Pop", "Nord Soft SRL prepared proposal", "473.99 RON",
                 f"Open until: {proposal.open_till:%d.%m.%Y}", "Andrei Agent"):
        assert text in message.body, text
    assert "&amp;" not in message.body  # a plain-text email is not HTML-escaped


def test_smtp_down_retries_then_tells_the_agent(sent_proposal, agent, smtp_down):
    """Eagerly applied, every retry runs at once; after the last one fails the task's
    on_failure leaves the agent a notification."""
    proposal, _ = sent_proposal
    result = send_proposal_email.apply(args=(proposal.pk, LINK))
    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPException)
    attempts = 1 + send_proposal_email.max_retries
    deadline = time.monotonic() + 2  # the server thread records the last connection itself
    while len(smtp_down) < attempts and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(smtp_down) == attempts
    note = Notification.objects.get(recipient=agent)
    assert f"{proposal.number} could not be sent" in note.message
    assert note.url == proposal.get_absolute_url()


def test_on_failure_for_a_deleted_proposal_does_nothing(db):
    send_proposal_email.on_failure(OSError("refused"), "task-id", (999_999, LINK), {}, None)
    assert not Notification.objects.exists()
