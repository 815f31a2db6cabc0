"""The invoice portal: what the client sees through the invoice's link, and what it refuses."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client as HttpClient
from django.utils import timezone

from billing.models import Invoice, PaymentMode
from billing.services.invoices import invoice_cancel, invoice_issue, invoice_regenerate_link
from billing.services.payments import payment_record, payment_void
from crmconnect.activity.models import Activity, Notification
from crmconnect.company.models import CompanySettings

from ..factories import InvoiceFactory, TaxedClientFactory
from ..pdf_reading import pdf_text


def token_of(link):
    return re.search(r"/i/([\w-]+)/$", link).group(1)


def url(token, action=""):
    return f"/i/{token}/{action}"


@pytest.fixture(name="linked")
def linked_fixture(issued, sales_admin):
    """(invoice, token): the issued invoice with a client link, as Send makes it, offering
    the default payment modes, as an invoice made by the service does."""
    issued.payment_modes.set(PaymentMode.objects.filter(is_default=True))
    return issued, token_of(invoice_regenerate_link(actor=sales_admin, invoice=issued))


@pytest.fixture
def online(db):
    return PaymentMode.objects.get(kind=PaymentMode.Kind.ONLINE)


@pytest.fixture
def gateway_on(settings):
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test_configured"


def pay(invoice, amount, actor, mode):
    return payment_record(actor=actor, invoice=invoice, amount=Decimal(amount), mode=mode)


def viewed_rows(invoice):
    return Activity.objects.filter(content_type=ContentType.objects.get_for_model(Invoice),
                                   object_id=invoice.pk, event="invoice.viewed")


# --- what the page shows -----------------------------------------------------------------

def test_the_page_shows_the_invoice_its_payments_and_balance(client, linked, sales_admin,
                                                             bank_transfer):
    invoice, token = linked
    CompanySettings.objects.filter(pk=1).update(legal_name="Nord Soft SRL")
    Invoice.objects.filter(pk=invoice.pk).update(notes="Client pays late: call the CFO")
    payment = pay(invoice, "500.00", sales_admin, bank_transfer)
    page = client.get(url(token)).content.decode()
    assert "Nord Soft SRL" in page and "Beta Logistics SRL" in page
    assert "CRM000001" in page
    assert "Implementation" in page and "Licence" in page
    assert 'data-total="total">1,673.99 RON' in page
    assert 'data-total="vat-21">252.00 RON' in page and 'data-total="vat-11">22.00 RON' in page
    assert 'data-total="paid">500.00 RON' in page
    assert 'data-total="balance">1,173.99 RON' in page
    assert 'data-status="3">Partially Paid' in page
    history = page[page.index('id="payments-heading"'):]
    assert payment.receipt_number in history and "Bank transfer" in history
    assert f'href="/i/{token}/receipts/{payment.pk}"' in history
    assert f'href="/i/{token}/pdf"' in page
    assert "call the CFO" not in page  # internal notes stay inside
    assert "/admin" not in page


def test_the_page_shows_the_payment_terms_and_the_modes_with_their_bank_details(
        client, linked, bank_transfer):
    invoice, token = linked
    PaymentMode.objects.filter(pk=bank_transfer.pk).update(
        description="IBAN RO49 AAAA 1B31 0075 9384 0000, Banca Transilvania")
    Invoice.objects.filter(pk=invoice.pk).update(payment_terms="Pay within 15 days.")
    page = client.get(url(token)).content.decode()
    assert "Pay within 15 days." in page
    assert "IBAN RO49 AAAA 1B31 0075 9384 0000, Banca Transilvania" in page


def test_an_overdue_invoice_says_since_when(client, linked):
    invoice, token = linked
    due = timezone.localdate() - timedelta(days=3)
    Invoice.objects.filter(pk=invoice.pk).update(due_date=due, status=Invoice.Status.OVERDUE)
    page = client.get(url(token)).content.decode()
    assert f'data-status="4">Overdue — due {due:%d.%m.%Y}' in page


def test_a_paid_invoice_says_so_and_offers_no_payment(client, linked, sales_admin,
                                                      bank_transfer, gateway_on):
    invoice, token = linked
    pay(invoice, invoice.total, sales_admin, bank_transfer)
    page = client.get(url(token)).content.decode()
    assert 'data-status="2">Paid' in page and "paid in full" in page
    assert 'data-total="balance">0.00 RON' in page
    assert "Pay online" not in page


def test_a_foreign_currency_invoice_shows_its_ron_equivalent(client, agent, account,
                                                             sales_admin):
    draft = InvoiceFactory(client=account, assigned_to=agent, currency="EUR",
                           exchange_rate=Decimal("4.9750"))
    invoice = invoice_issue(actor=sales_admin, invoice=draft)
    token = token_of(invoice_regenerate_link(actor=sales_admin, invoice=invoice))
    page = client.get(url(token)).content.decode()
    assert 'data-total="total">1,673.99 EUR' in page
    assert 'data-total="ron">8,328.10 RON' in page  # 1,673.99 × 4.975


def test_pay_online_is_offered_only_with_the_gateway_an_online_mode_and_a_balance(
        client, linked, online, settings):
    invoice, token = linked
    settings.PAYMENT_GATEWAY_SECRET_KEY = ""
    page = client.get(url(token)).content.decode()
    assert 'id="pay-online"' not in page
    assert ">Online<" not in page  # no online mode shown while it cannot be used
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test_configured"
    page = client.get(url(token)).content.decode()
    assert f'action="/i/{token}/pay"' in page and "Pay online 1,673.99 RON" in page
    assert 'name="csrfmiddlewaretoken"' in page[page.index('id="pay-online"'):]
    invoice.payment_modes.remove(online)
    assert 'id="pay-online"' not in client.get(url(token)).content.decode()


def test_the_page_lets_the_pay_form_end_on_the_gateways_page_only_when_offered(
        client, linked, online, settings):
    """Browsers apply form-action to the redirect after the post (see the browser test)."""
    _, token = linked
    settings.PAYMENT_GATEWAY_CHECKOUT_ORIGIN = "https://checkout.gateway.example"
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test_configured"
    policy = client.get(url(token))["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.gateway.example;" in policy
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    settings.PAYMENT_GATEWAY_SECRET_KEY = ""
    policy = client.get(url(token))["Content-Security-Policy"]
    assert "checkout.gateway.example" not in policy and "form-action 'self';" in policy


def test_the_page_runs_a_constant_number_of_queries(client, linked, sales_admin,
                                                    bank_transfer, assert_constant_queries):
    invoice, token = linked
    pay(invoice, "10.00", sales_admin, bank_transfer)
    client.get(url(token))  # the first open writes; the counts compare later opens

    def more_payments():
        for _ in range(3):
            pay(invoice, "10.00", sales_admin, bank_transfer)

    assert_constant_queries(url(token), more_payments)


# --- who gets in --------------------------------------------------------------------------

def test_a_wrong_or_tampered_token_gets_the_same_404_as_a_missing_one(client, linked):
    invoice, token = linked
    missing = client.get(url("N" * len(token)))
    assert missing.status_code == 404
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (tampered, token.upper(), token[:10], token + "x" * 80):
        for action in ("", "pdf"):
            response = client.get(url(wrong, action))
            assert response.status_code == 404
            assert response.content == missing.content
    invoice.refresh_from_db()
    assert invoice.viewed_at is None


def test_a_draft_never_opens(client, draft):
    from crmconnect.core.portal import new_token

    token, digest = new_token()
    Invoice.objects.filter(pk=draft.pk).update(token_hash=digest)
    assert client.get(url(token)).status_code == 404
    assert client.get(url(token, "pdf")).status_code == 404


def test_a_cancelled_invoice_no_longer_opens(client, linked, sales_admin):
    invoice, token = linked
    assert client.get(url(token)).status_code == 200
    invoice_cancel(actor=sales_admin, invoice=invoice, reason="Wrong client")
    assert client.get(url(token)).status_code == 404


def test_a_new_link_revokes_the_old_one(client, linked, sales_admin):
    invoice, token = linked
    new = token_of(invoice_regenerate_link(actor=sales_admin, invoice=invoice))
    assert client.get(url(token)).status_code == 404
    assert client.get(url(new)).status_code == 200


def test_an_address_that_keeps_guessing_gets_429_even_for_a_good_link(client, linked,
                                                                      settings):
    _, token = linked
    settings.PORTAL_MAX_FAILURES = 3
    for attempt in range(3):
        assert client.get(url(f"guess-{attempt}-" + "x" * 30)).status_code == 404
    response = client.get(url(token))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert client.post(url(token, "pay")).status_code == 429
    assert client.get(url(token), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_portal_responses_keep_the_link_private(client, linked):
    _, token = linked
    for response in (client.get(url(token)), client.get(url(token, "pdf")),
                     client.get(url(token, "pay")), client.get(url("x" * 43)),
                     client.get(url(token, "receipts/999999"))):
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]
        assert response["Cache-Control"] == "no-store"


def test_pay_takes_only_a_post_with_a_csrf_token(linked, gateway_on):
    _, token = linked
    browser = HttpClient(enforce_csrf_checks=True)
    assert browser.get(url(token, "pay")).status_code == 405
    assert browser.post(url(token, "pay")).status_code == 403


# --- the first open ------------------------------------------------------------------------

def test_the_first_open_is_noted_with_the_address_and_the_agent_told_once(client, linked,
                                                                         agent):
    invoice, token = linked
    assert client.get(url(token), REMOTE_ADDR="203.0.113.9").status_code == 200
    invoice.refresh_from_db()
    first = invoice.viewed_at
    assert first is not None
    row = viewed_rows(invoice).get()
    assert row.ip_address == "203.0.113.9" and row.actor is None
    assert row.actor_label == "Client (online)"
    client.get(url(token), REMOTE_ADDR="203.0.113.10")
    invoice.refresh_from_db()
    assert invoice.viewed_at == first
    assert viewed_rows(invoice).count() == 1
    assert Notification.objects.filter(recipient=agent,
                                       message__contains="opened invoice CRM000001").count() == 1


def test_a_signed_in_colleague_opening_the_link_does_not_mark_it_viewed(client, linked,
                                                                        sales_admin):
    invoice, token = linked
    client.force_login(sales_admin)
    page = client.get(url(token)).content.decode()
    assert "does not mark the invoice viewed" in page
    invoice.refresh_from_db()
    assert invoice.viewed_at is None and not viewed_rows(invoice).exists()


# --- PDFs ------------------------------------------------------------------------------------

def test_the_pdf_is_the_invoice(client, linked):
    invoice, token = linked
    response = client.get(url(token, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="CRM000001.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "CRM000001" in text and "Implementation" in text


def test_receipts_open_only_for_this_invoices_payments(client, linked, agent, sales_admin,
                                                       finance, bank_transfer):
    invoice, token = linked
    own = pay(invoice, "100.00", sales_admin, bank_transfer)
    response = client.get(url(token, f"receipts/{own.pk}"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert own.receipt_number in pdf_text(response.content)

    other = invoice_issue(actor=sales_admin, invoice=InvoiceFactory(
        client=TaxedClientFactory(owner=agent), assigned_to=agent))
    foreign = pay(other, "100.00", sales_admin, bank_transfer)
    advance = payment_record(actor=sales_admin, client=invoice.client, currency="RON",
                             amount=Decimal("50.00"), mode=bank_transfer)
    for payment in (foreign, advance):
        assert client.get(url(token, f"receipts/{payment.pk}")).status_code == 404

    payment_void(actor=finance, payment=own, reason="Recorded twice")
    assert client.get(url(token, f"receipts/{own.pk}")).status_code == 404
