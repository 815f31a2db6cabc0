"""The payment flow in Chromium: the back office records a partial payment from the invoice
page, then an advance on the client's account applied to the rest; Finance voids the first
payment (after the confirmation) and the invoice owes it again. No console errors (the pages
run under the Content-Security-Policy)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from billing.models import Invoice, Payment
from billing.services.invoices import invoice_issue
from crmconnect.staff import roles

from ..clients.test_browser import log_in
from ..factories import InvoiceFactory, TaxedClientFactory, UserFactory

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]


def test_record_apply_credit_and_void(page, live_server):
    back_office = UserFactory(role=roles.SALES_ADMIN, username="office")
    finance = UserFactory(role=roles.FINANCE, username="finance")
    account = TaxedClientFactory(name="Beta Logistics SRL")
    invoice = invoice_issue(actor=back_office, invoice=InvoiceFactory(client=account))
    errors = []
    page.on("console", lambda entry: errors.append(entry.text)
            if entry.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, back_office)

    page.goto(invoice.get_absolute_url())
    page.click("a:has-text('Record Payment')")
    page.fill("#id_amount", "500.00")
    page.fill("#id_transaction_reference", "OP 1001")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**{invoice.get_absolute_url()}")
    expect(page.locator(".alert-success")).to_contain_text(
        "invoice CRM000001 is Partially Paid, balance 1,173.99")

    page.goto(f"/admin/clients/{account.pk}")
    page.click("button:has-text('Payments & credit')")
    page.click("a:has-text('Record advance payment')")
    page.fill("#id_amount", "1173.99")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Advance payment CHT000002")
    page.click("#credit-invoices button:has-text('Apply')")
    expect(page.locator(".alert-success")).to_contain_text("invoice CRM000001 is Paid")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID

    page.context.clear_cookies()
    log_in(page, finance)
    first = Payment.objects.get(receipt_number="CHT000001")
    page.goto(first.get_absolute_url())
    page.click("#payment-actions button:has-text('Void payment')")
    page.fill("#id_reason", "Recorded twice")
    page.click("#void-panel button:has-text('Void payment')")
    expect(page.locator("#payment-voided")).to_contain_text("Recorded twice")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    assert invoice.balance == Decimal("500.00")
    assert errors == []
