"""The key account manager's workflow in a browser: a dedicated price list, a price picked
from the item suggestions, the list given to the client on its record."""

import pytest

from sales.models import ClientPricing, PriceList

from ..clients.test_browser import log_in
from ..factories import ClientFactory, ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dedicated_price_list_for_a_key_account(page, key_account_manager):
    ItemFactory(code="AUD-01", name="Security audit", unit_price="250.00", unit="day")
    client = ClientFactory(owner=key_account_manager, name="Dunărea Agro SA")
    log_in(page, key_account_manager)

    page.goto("/admin/prices")
    page.click("text=Add price list >> nth=0")
    page.fill("#id_name", "Dunărea 2026")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=now add its prices")

    page.fill("#id_item", "audit")  # suggestions by name: the datalist offers the code
    page.wait_for_selector("#item-options option[value='AUD-01']", state="attached")
    page.fill("#id_item", "AUD-01")
    page.fill("#id_unit_price", "230")
    page.click("button[type=submit]:has-text('Add price')")
    page.wait_for_selector("text=Price added")
    assert page.is_visible("text=230.00 RON")

    page.goto(client.get_absolute_url())
    page.click("#pricing-tab")
    page.select_option("#pricing select[name=price_list]", label="Dunărea 2026")
    page.click("#pricing button:has-text('Save pricing')")
    page.wait_for_selector("text=Pricing of “Dunărea Agro SA” saved.")
    assert page.locator("#pricing").is_visible()  # back on the tab
    assert page.locator("#pricing >> text=The client's own price list.").is_visible()
    assert ClientPricing.objects.get(client=client).price_list == PriceList.objects.get()
