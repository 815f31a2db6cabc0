"""Sending a proposal end to end: the service, a real Celery worker and a real SMTP server;
the link in the email opens the portal."""

import os
import re
import time

import pytest
from django.core.cache import cache
from django.db import OperationalError

from crmconnect.activity.models import Notification
from sales.models import Proposal
from sales.services.proposals import proposal_send

Status = Proposal.Status


def wait_for(condition, timeout=20):
    """Poll `condition` while a worker thread runs. SQLite's shared in-memory test database
    answers "table is locked" (no busy wait there) while the worker writes: ask again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(0.1)
    return False


def link_in(message):
    body = message["message"].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/p/[\w-]+/", body).group(0)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_link_and_it_opens_the_portal(client, company_smtp, agent,
                                                               proposal, settings):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    settings.SITE_URL = "http://portal.example.com"
    cache.clear()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        link = proposal_send(actor=agent, proposal=proposal)
        assert wait_for(lambda: company_smtp.messages)
    assert len(company_smtp.messages) == 1
    received = company_smtp.messages[0]
    assert received["to"] == ["maria@alfa.example.com"]
    assert received["from"] == "office@crmconnect.example.com"
    assert received["message"]["Subject"] == f"Proposal {proposal.number}: {proposal.subject}"
    assert link_in(received) == link
    assert link.startswith("http://portal.example.com/p/")

    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Status.REVIEWED
    assert Notification.objects.filter(recipient=agent, message__contains="reading").exists()
