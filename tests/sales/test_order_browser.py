"""The order flow in Chromium: an account manager converts an accepted proposal to a sales
order and confirms it; the order page links back to the proposal; "Repeat order" starts a new
order with the same items at today's prices."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crmconnect.staff import roles
from sales.models import Proposal, SalesOrder

from ..clients.test_browser import log_in
from ..factories import ClientFactory, ContactFactory, ProposalFactory, UserFactory, line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accepted_proposal_to_confirmed_order_and_repeat(page, item):
    manager = UserFactory(role=roles.ACCOUNT_MANAGER, username="am")
    account = ClientFactory(owner=manager, name="Alfa Consulting SRL")
    ContactFactory(client=account, first_name="Maria", last_name="Ionescu", is_primary=True)
    proposal = ProposalFactory(client=account, assigned_to=manager, subject="Audit 2026",
                               lines=[line(item)])
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    errors = []
    page.on("console", lambda entry: errors.append(entry.text)
            if entry.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())  # the "… ?" confirmations
    log_in(page, manager)

    page.goto(proposal.get_absolute_url())
    page.click("button:has-text('Convert to Sales Order')")
    page.wait_for_url("**/admin/orders/*")
    order = SalesOrder.objects.get(proposal=proposal)
    expect(page.locator("#order-flags [data-status]")).to_have_text("New")

    page.click("#order-actions button:has-text('Confirm')")
    expect(page.locator("#order-flags [data-status]")).to_have_text("Confirmed")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED
    back = page.locator(f"#document-trail a:has-text('{proposal.number}')")
    expect(back).to_be_visible()
    assert page.locator("#order-actions a:has-text('Edit')").count() == 0

    # Repeat: the same item at today's price, saved as a new order.
    page.click("#order-actions a:has-text('Repeat order')")
    page.wait_for_url("**/admin/orders/add?*")
    row = page.locator("[data-line-row]").nth(0)
    expect(row.locator("[data-line=item_label]")).to_have_value("AUD-01 — Security audit")
    expect(page.locator("[data-lines-totals] [data-total=total]")).not_to_have_text("—")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=created.")
    repeated = SalesOrder.objects.exclude(pk=order.pk).get()
    assert repeated.client == account and repeated.proposal is None
    assert [saved.item for saved in repeated.lines.all()] == [item]

    page.goto(proposal.get_absolute_url())
    assert page.locator(f"a:has-text('Sales order {order.number}')").is_visible()
    assert not errors
