"""The demo catalogue: realistic, priced for the first demo client, and safe to seed again."""

from decimal import Decimal

import pytest

from sales.demo_catalogue import KEY_ACCOUNTS, seed_catalogue
from sales.models import ClientPricing, Item, PriceList
from sales.pricing import quote

from ..factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_seed_catalogue_prices_the_first_client_with_an_owner_and_runs_twice(agent):
    ClientFactory(owner=None)
    first = ClientFactory(owner=agent)
    ClientFactory(owner=agent)
    created = seed_catalogue()
    assert created == {"item groups": 3, "items": 11, "price lists": 1, "prices": 5,
                       "discount groups": 1}
    assert {item.vat_rate.rate for item in Item.objects.select_related("vat_rate")} == {
        Decimal(21), Decimal(11)}
    assert set(Item.objects.values_list("currency", flat=True)) == {"RON"}

    pricing = ClientPricing.objects.get()
    assert pricing.client == first and pricing.price_list.name == KEY_ACCOUNTS
    consulting = Item.objects.get(code="SRV-CONS")
    assert quote(item=consulting, client=first, quantity=40).unit_price == Decimal("195.00")
    licence = Item.objects.get(code="LIC-M365-BP")
    assert quote(item=licence, client=first).discount_percent == Decimal(10)

    Item.objects.filter(code="SRV-CONS").update(unit_price=Decimal("260"))
    assert set(seed_catalogue().values()) == {0}
    assert Item.objects.get(code="SRV-CONS").unit_price == Decimal("260")  # not overwritten
    assert PriceList.objects.get().entries.count() == 5
