"""The proposal form in a browser: the client picker, the line editor with the item search and
the client's price, the totals preview, the rich-text cover letter, and a page without
JavaScript errors (the Content Security Policy allows no inline code)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from crmconnect.staff import roles
from sales.models import ClientPricing, PriceListEntry, Proposal

from ..factories import ClientFactory, ContactFactory, ItemFactory, PriceListFactory, vat_rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")


def test_write_a_proposal_with_the_line_editor(page, make_user):
    vat_rate("21")
    agent = make_user(roles.SALES_AGENT)
    buyer = ClientFactory(owner=agent, name="Beta Trading SRL", currency="RON")
    ContactFactory(client=buyer, first_name="Ioana", last_name="Vlad", is_primary=True,
                   email="ioana@beta.example.com")
    item = ItemFactory(code="CONS-1", name="Consulting day", unit="day",
                       unit_price=Decimal("1000"))
    price_list = PriceListFactory(name="Partners")
    PriceListEntry.objects.create(price_list=price_list, item=item, unit_price=Decimal("800"))
    ClientPricing.objects.create(client=buyer, price_list=price_list)
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    log_in(page, agent)

    page.goto("/admin/proposals/add")
    page.select_option("#id_client", str(buyer.pk))
    expect(page.locator("#id_contact option")).to_have_count(2)
    assert page.input_value("#id_recipient_email") == "ioana@beta.example.com"
    page.fill("#id_subject", "Strategy workshop")

    page.click("button[aria-label='Bold']")
    page.keyboard.type("Dear Ioana")
    row = page.locator("[data-line-row]").nth(0)
    row.locator("[data-line=item_label]").fill("CONS")
    page.click("text=CONS-1 — Consulting day")
    expect(row.locator("[data-line=unit_price]")).to_have_value(re.compile(r"\d"))
    assert Decimal(row.locator("[data-line=unit_price]").input_value()) == Decimal("800")
    assert "Partners" in row.locator("[data-line-source]").inner_text()
    row.locator("[data-line=quantity]").fill("2")
    row.locator("[data-line=quantity]").dispatch_event("change")

    page.click("[data-add-line]")
    second = page.locator("[data-line-row]").nth(1)
    second.locator("[data-line=description]").fill("Travel")
    second.locator("[data-line=unit_price]").fill("150")
    expect(page.locator("[data-lines-totals] [data-total=total]")).to_have_text("2,117.50 RON")

    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=created as a draft")
    proposal = Proposal.objects.get()
    assert proposal.client == buyer and proposal.total == Decimal("2117.50")
    assert "<b>Dear Ioana</b>" in proposal.content or "<strong>Dear Ioana" in proposal.content
    assert [line.unit_price for line in proposal.lines.all()] == [Decimal("800.0000"),
                                                                 Decimal("150.0000")]
    assert page.locator("#proposal-totals [data-total=total]").inner_text() == "2,117.50 RON"

    page.click("#proposal-actions >> text=Edit")
    expect(page.locator("[contenteditable=true] :is(b, strong)")).to_have_text("Dear Ioana")
    expect(page.locator("[data-lines-totals] [data-total=total]")).to_have_text("2,117.50 RON")
    assert not errors
