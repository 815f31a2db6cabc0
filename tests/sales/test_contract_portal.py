"""The contract in the client portal: read, sign (drawn or typed), download the signed copy,
through the link emailed by "Send for signature"."""

import re
from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from crmconnect.activity.models import Activity, Notification
from crmconnect.company.models import CompanySettings
from sales.models import Contract, ContractStatus
from sales.services import contracts as services
from sales.services.lines import lines_replace

from ..factories import line
from ..pdf_reading import image_count, pdf_text
from .test_contract_pdf import make_contract
from .test_portal import png_data_url

Kind = ContractStatus.Kind


def url(token, action=""):
    return f"/p/contract/{token}/{action}"


def sign_data(**values):
    return {"signer_name": "Maria Ionescu", "signer_email": "maria@alfa.example.com",
            "signature": "", "typed_signature": "Maria Ionescu", **values}


def send(actor, contract):
    """Send for signature; returns the link's token."""
    link = services.contract_send_for_signature(actor=actor, contract=contract)
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def contract(agent, account):
    return make_contract(agent, account, contact=account.contacts.get(),
                         terms="<p>Payment in 15 days.</p>",
                         renewal_terms="Renews for one year unless terminated.",
                         notes="Internal: the client asked for 10% off",
                         lines=[line(description="Monitoring", quantity=Decimal(12),
                                     unit_price=Decimal("1000.00"))])


@pytest.fixture
def token(agent, contract):
    return send(agent, contract)


def signed_events(contract):
    return Activity.objects.filter(event="contract.signed", object_id=contract.pk)


# --- reading -----------------------------------------------------------------------------

def test_the_page_shows_the_contract_and_never_the_internal_notes(client, contract, token):
    CompanySettings.objects.filter(pk=1).update(legal_name="Nord Soft SRL")
    Contract.objects.filter(pk=contract.pk).update(
        content='<p onclick="steal()">The provider monitors.</p><script>alert(1)</script>')
    response = client.get(url(token))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Nord Soft SRL", "Alfa Consulting SRL", contract.number, contract.subject,
                 f"{contract.start_date:%d.%m.%Y} – {contract.end_date:%d.%m.%Y}",
                 "14,520.00 RON", "<p>The provider monitors.</p>", "Monitoring",
                 'data-total="total">14,520.00 RON', "<p>Payment in 15 days.</p>",
                 "Renews for one year unless terminated.", 'id="sign-form"',
                 'value="Maria Ionescu"', 'value="maria@alfa.example.com"', "signature.js"):
        assert text in page, text
    for hidden in ("10% off", "steal()", "alert(1)", "/admin"):
        assert hidden not in page, hidden
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store" and "noindex" in response["X-Robots-Tag"]


def test_a_wrong_token_is_404_and_guessing_gets_429(client, settings, token):
    missing = client.get(url("N" * len(token)))
    assert missing.status_code == 404 and missing["Cache-Control"] == "no-store"
    assert client.get(url(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get(f"/p/{token}/").status_code == 404  # not a proposal's link
    settings.PORTAL_MAX_FAILURES = 3
    client.get(url("x" * 40, "pdf"))
    assert client.get(url(token)).status_code == 429
    assert client.get(url(token), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_new_link_replaces_the_old_one(client, agent, contract, token):
    fresh = send(agent, contract)
    assert client.get(url(token)).status_code == 404
    assert client.get(url(fresh)).status_code == 200


def test_signing_takes_only_posts_with_a_csrf_token(client, contract, token):
    assert client.post(url(token), sign_data()).status_code == 405
    browser = HttpClient(enforce_csrf_checks=True)
    assert browser.get(url(token, "sign")).status_code == 405
    assert browser.post(url(token, "sign"), sign_data()).status_code == 403
    page = browser.get(url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(url(token, "sign"), {**sign_data(), "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.is_signed


# --- signing -----------------------------------------------------------------------------

def test_signing_with_a_typed_name_activates_and_shows_the_signed_pdf_link(
        client, agent, contract, token):
    response = client.post(url(token, "sign"), sign_data(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302 and response["Location"] == url(token)
    contract.refresh_from_db()
    assert contract.status.kind == Kind.ACTIVE
    assert (contract.signer_name, contract.signature) == ("Maria Ionescu", "Maria Ionescu")
    assert contract.signed_ip == "203.0.113.5" and contract.signed_pdf
    assert Notification.objects.filter(recipient=agent, message__contains="signed").exists()
    page = client.get(url(token)).content.decode()
    assert "the contract is signed" in page  # the message after the redirect
    assert f"Signed by Maria Ionescu on {contract.signed_at:%d.%m.%Y}" in page
    assert f'id="signed-pdf" href="{url(token, "pdf")}"' in page
    assert 'class="typed-signature">Maria Ionescu' in page
    assert 'id="sign-form"' not in page


def test_the_signed_pdf_is_the_copy_frozen_at_signing(client, contract, token):
    client.post(url(token, "sign"), sign_data(signature=png_data_url(), typed_signature=""))
    Contract.objects.filter(pk=contract.pk).update(subject="Changed behind the client's back")
    response = client.get(url(token, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{contract.number}-signed.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert "Managed security services" in text and "Changed behind" not in text
    assert "Maria Ionescu · maria@alfa.example.com" in text
    assert image_count(response.content) == 1  # the drawn signature


def test_before_signing_the_pdf_is_the_current_text(client, contract, token):
    response = client.get(url(token, "pdf"))
    assert response.status_code == 200
    assert f'filename="{contract.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Managed security services" in text and "Signed" not in text


def test_signing_twice_changes_nothing_the_second_time(client, contract, token):
    client.post(url(token, "sign"), sign_data())
    contract.refresh_from_db()
    first = (contract.signed_at, contract.signature, contract.signer_name,
             contract.signed_pdf.name)
    response = client.post(url(token, "sign"), sign_data(signer_name="Somebody Else",
                                                         typed_signature="Somebody Else"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.signed_at, contract.signature, contract.signer_name,
            contract.signed_pdf.name) == first
    assert signed_events(contract).count() == 1


def test_a_refused_signature_shows_the_form_again_with_what_was_typed(client, contract, token):
    response = client.post(url(token, "sign"), sign_data(
        signer_name="Maria Ionescu-Pop", signer_email="maria.pop@alfa.example.com",
        typed_signature="M. Pop"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A typed signature must be your name as above." in page
    assert 'value="Maria Ionescu-Pop"' in page and 'value="maria.pop@alfa.example.com"' in page
    assert 'value="M. Pop"' in page
    contract.refresh_from_db()
    assert not contract.is_signed and not signed_events(contract).exists()


def test_a_drawing_survives_a_refusal(client, contract, token):
    drawing = png_data_url()
    response = client.post(url(token, "sign"), sign_data(signer_name="", signature=drawing))
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required." in page
    assert f'id="id_signature" value="{drawing}"' in page


def test_a_contract_no_longer_in_draft_cannot_be_signed(client, agent, contract, token):
    terminated = ContractStatus.first_of(Kind.TERMINATED)
    services.contract_change_status(actor=agent, contract=contract, status=terminated)
    page = client.get(url(token)).content.decode()
    assert 'id="sign-form"' not in page and "can no longer be signed" in page
    response = client.post(url(token, "sign"), sign_data())
    assert response.status_code == 200 and "can no longer be signed" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.is_signed and contract.status == terminated


def test_the_query_count_does_not_grow_with_lines(client, contract, token,
                                                 assert_constant_queries):
    assert_constant_queries(url(token), lambda: lines_replace(
        contract, [line(description=f"Line {n}") for n in range(12)]))
