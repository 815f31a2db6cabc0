"""The client pays an invoice online in Chromium: from the emailed link to the gateway's page
and back, the invoice Paid with a receipt to download."""

import pytest
from playwright.sync_api import expect

from billing.models import Invoice, Payment, PaymentMode
from billing.services.invoices import invoice_issue, invoice_regenerate_link

from ..factories import ContactFactory, InvoiceFactory, TaxedClientFactory, UserFactory
from .fake_gateway import fake_gateway_fixture  # noqa: F401 (the fixture `fake_gateway`)
from .test_portal import token_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_client_pays_online_through_the_gateways_page(page, live_server, fake_gateway):
    online = PaymentMode.objects.get(kind=PaymentMode.Kind.ONLINE)
    admin = UserFactory(is_superuser=True)
    client = TaxedClientFactory(name="Beta Logistics SRL")
    ContactFactory(client=client, email="ioana@beta.example.com", is_primary=True)
    invoice = invoice_issue(actor=admin, invoice=InvoiceFactory(client=client,
                                                                assigned_to=admin))
    invoice.payment_modes.add(online)
    token = token_of(invoice_regenerate_link(actor=admin, invoice=invoice))
    errors = []
    page.on("console", lambda entry: errors.append(entry.text)
            if entry.type == "error" else None)

    page.goto(f"/i/{token}/")
    expect(page.locator("[data-status]")).to_have_text("Unpaid")
    page.click("#pay-online button")
    page.wait_for_url(f"{fake_gateway.url}/c/pay/*")
    expect(page.locator("#amount")).to_have_text("1,673.99 RON")
    page.click("button:has-text('Pay')")

    page.wait_for_url(f"**/i/{token}/?paid=1")
    expect(page.locator("[data-returned]")).to_contain_text("Thank you")
    expect(page.locator("[data-status]")).to_have_text("Paid")
    payment = Payment.objects.get()
    receipt = page.locator(f"a:has-text('{payment.receipt_number}')")
    with page.expect_response(lambda response: "/receipts/" in response.url) as opened:
        receipt.click()
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID
    assert errors == []
