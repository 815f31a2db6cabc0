"""The invoice flow in Chromium: the back office converts a confirmed order to an invoice,
issues it, marks it sent; an invoice is added by hand with the lines editor; a wrong one is
cancelled with a reason."""

import pytest
from playwright.sync_api import expect

from billing.models import Invoice
from crmconnect.staff import roles
from sales.models import SalesOrder
from sales.services.orders import sales_order_create

from ..clients.test_browser import log_in
from ..factories import ContactFactory, TaxedClientFactory, UserFactory, line, vat_rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_to_issued_invoice_then_an_invoice_added_by_hand(page):
    vat_rate("21")
    admin = UserFactory(role=roles.SALES_ADMIN, username="back-office")
    account = TaxedClientFactory(owner=admin, name="Beta Logistics SRL")
    ContactFactory(client=account, first_name="Ioana", last_name="Marin", is_primary=True,
                   email="ioana@beta.example.com")
    order = sales_order_create(actor=admin, client=account, lines=[line()])
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.CONFIRMED)
    errors = []
    page.on("console", lambda entry: errors.append(entry.text)
            if entry.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())  # the "… ?" confirmations
    log_in(page, admin)

    page.goto(order.get_absolute_url())
    page.click("#order-actions button:has-text('Convert to Invoice')")
    page.wait_for_url("**/admin/invoices/*")
    expect(page.locator("#invoice-flags [data-status]")).to_have_text("Draft")
    expect(page.locator(f"#document-trail a:has-text('{order.number}')")).to_be_visible()

    page.click("#invoice-actions button:has-text('Issue')")
    expect(page.locator("#invoice-flags [data-status]")).to_have_text("Unpaid")
    expect(page.locator("h1")).to_have_text("Invoice CRM000001")
    expect(page.locator("#invoice-flags [data-sent]")).to_have_text("Not Sent")
    page.click("#invoice-actions button:has-text('Mark as sent')")
    expect(page.locator("#invoice-flags [data-sent]")).to_have_text("Sent")

    # By hand: the client's contacts load, a second line is added, the totals preview.
    page.goto("/admin/invoices/add")
    page.select_option("#id_client", str(account.pk))
    expect(page.locator("#id_contact option:has-text('Ioana Marin')")).to_have_count(1)
    rows = page.locator("[data-line-rows] [data-line-row]")
    rows.nth(0).locator("[data-line=description]").fill("Implementation")
    rows.nth(0).locator("[data-line=unit_price]").fill("400")
    page.click("[data-add-line]")
    rows.nth(1).locator("[data-line=description]").fill("Licence")
    rows.nth(1).locator("[data-line=unit_price]").fill("100")
    expect(page.locator("[data-lines-totals] [data-total=total]")).to_have_text("605.00 RON")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=created as a draft")
    added = Invoice.objects.exclude(sales_order=order).get()
    assert added.total == 605 and added.lines.count() == 2

    # Cancel the issued one, with a reason.
    page.goto(Invoice.objects.get(sales_order=order).get_absolute_url())
    page.click("#invoice-actions button:has-text('Cancel invoice')")
    page.fill("#cancel-panel textarea[name=reason]", "Issued twice by mistake")
    page.click("#cancel-panel button[type=submit]")
    expect(page.locator("#invoice-cancelled")).to_contain_text("Issued twice by mistake")
    assert not errors
