"""Send for signature end to end: the service, a real Celery worker and a real SMTP server;
the link in the email opens the contract in the portal."""

import os
import re

import pytest
from django.core.cache import cache

from sales.services.contracts import contract_send_for_signature

from .test_contract_pdf import make_contract
from .test_send_email import wait_for
from .test_services_contracts import seed_contract_statuses


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_signing_link_and_it_opens_the_contract(
        client, company_smtp, agent, account, settings):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    settings.SITE_URL = "http://portal.example.com"
    cache.clear()
    seed_contract_statuses()
    contract = make_contract(agent, account, contact=account.contacts.get())
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        link = contract_send_for_signature(actor=agent, contract=contract)
        assert wait_for(lambda: company_smtp.messages)
    (received,) = company_smtp.messages
    assert received["to"] == ["maria@alfa.example.com"]
    assert received["from"] == "office@crmconnect.example.com"
    message = received["message"]
    assert message["Subject"] == (f"Contract {contract.number} for signature: "
                                  f"Managed security services")
    assert message["Reply-To"] == agent.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"https?://\S+/p/contract/[\w-]+/", body).group(0) == link
    assert link.startswith("http://portal.example.com/p/contract/")
    assert "Value: 12000.00 RON" in body

    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert contract.number in page and 'id="sign-form"' in page
