"""Sales → Prices: price lists with volume tiers, client-group assignments, discount groups,
a client's pricing (its record's "Pricing" tab), and which price a client gets."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from crmconnect.activity.models import Activity
from sales.models import (
    ClientPricing,
    DiscountGroup,
    DiscountRate,
    GroupPricing,
    PriceList,
    PriceListEntry,
)
from sales.pricing import quote
from sales.services.pricing import client_pricing_set, price_entry_add

from ..factories import (
    ClientFactory,
    ClientGroupFactory,
    ItemFactory,
    ItemGroupFactory,
    PriceListFactory,
    ProposalFactory,
    UserFactory,
    line,
)
from ..forms import messages_of, submit

pytestmark = pytest.mark.django_db

PRICES_URL = "/admin/prices"


def entry(price_list, item, min_quantity, unit_price):
    return PriceListEntry.objects.create(price_list=price_list, item=item,
                                         min_quantity=Decimal(min_quantity),
                                         unit_price=Decimal(unit_price))


def detail_url(price_list):
    return reverse("sales:pricelist_detail", args=[price_list.pk])


@pytest.fixture
def kam_account(key_account_manager):
    return ClientFactory(owner=key_account_manager, name="Dunărea Agro SA")


def quoted(http, item, client=None, **query):
    params = {"item": item.pk, **query}
    if client is not None:
        params["client"] = client.pk
    response = http.get(reverse("sales:item_quote"), params)
    assert response.status_code == 200, response.content
    return response.json()


# --- price lists: the key account manager's workflow -------------------------------------

def test_kam_creates_a_list_adds_tiers_and_gives_it_to_a_client(login_as, key_account_manager,
                                                                kam_account, item):
    http = login_as(key_account_manager)
    response = submit(http, reverse("sales:pricelist_create"), name="Dunărea 2026",
                      description="Negotiated in January")
    price_list = PriceList.objects.get(name="Dunărea 2026")
    assert response["Location"] == detail_url(price_list)
    assert price_list.currency == "RON" and price_list.active

    add_url = reverse("sales:pricelist_entry_add", args=[price_list.pk])
    response = submit(http, detail_url(price_list), action=add_url, item="AUD-01",
                      unit_price="230")
    assert response.status_code == 302
    submit(http, detail_url(price_list), action=add_url, item="AUD-01", min_quantity="10",
           unit_price="210.5")
    assert [(e.min_quantity, e.unit_price) for e in price_list.entries.all()] == [
        (Decimal(1), Decimal("230")), (Decimal(10), Decimal("210.5"))]
    page = http.get(detail_url(price_list)).content.decode()
    assert "from 1 day: <strong>230.00 RON</strong>" in page
    assert "from 10 day: <strong>210.50 RON</strong>" in page

    tab_form = reverse("sales:client_pricing", args=[kam_account.pk])
    response = submit(http, kam_account.get_absolute_url(), action=tab_form,
                      price_list=price_list.pk)
    assert response["Location"] == f"{kam_account.get_absolute_url()}#pricing"
    assert ClientPricing.objects.get(client=kam_account).price_list == price_list
    history = Activity.objects.get(event="client.pricing_changed")
    assert history.client == kam_account
    assert history.changes == {"price_list": [None, "Dunărea 2026"]}

    assert quoted(http, item, kam_account, quantity="12")["unit_price"] == "210.50"


def test_entry_form_errors_show_on_the_list_page(login_as, key_account_manager, item):
    price_list = PriceListFactory(name="Key accounts")
    entry(price_list, item, 1, "230")
    http = login_as(key_account_manager)
    add_url = reverse("sales:pricelist_entry_add", args=[price_list.pk])

    response = submit(http, detail_url(price_list), action=add_url, item="AUD-01",
                      unit_price="199")
    assert response.status_code == 200
    assert response.context["entry_form"].non_field_errors() == [
        "This item already has a price from this quantity in the list."]
    assert 'value="199"' in response.content.decode()

    response = submit(http, detail_url(price_list), action=add_url, item="NOPE",
                      min_quantity="0", unit_price="-1")
    errors = response.context["entry_form"].errors
    assert errors["item"] == ["No item has this code."]
    assert errors["min_quantity"] == ["The quantity must be above zero."]
    assert "unit_price" in errors
    assert price_list.entries.count() == 1


def test_entry_field_offers_the_autocomplete(login_as, key_account_manager):
    price_list = PriceListFactory()
    content = login_as(key_account_manager).get(detail_url(price_list)).content.decode()
    assert 'list="item-options"' in content and '<datalist id="item-options">' in content
    assert f'data-autocomplete="{reverse("sales:items_autocomplete")}"' in content
    assert "js/pricing.js" in content


def test_remove_a_tier(login_as, key_account_manager, item):
    price_list = PriceListFactory()
    tier = entry(price_list, item, 10, "200")
    http = login_as(key_account_manager)
    url = reverse("sales:pricelist_entry_delete", args=[tier.pk])
    assert http.get(url).status_code == 405
    response = http.post(url, follow=True)
    assert "Price removed: AUD-01 — Security audit from 10: 200.0000." in messages_of(response)
    assert not PriceListEntry.objects.exists()
    assert Activity.objects.filter(event="price_list.entry_removed").exists()


def test_roles_and_price_lists(login_as, agent, sales_admin, key_account_manager):
    price_list = PriceListFactory(name="Resellers")
    http = login_as(agent)
    assert http.get(PRICES_URL).status_code == 200
    assert http.get(detail_url(price_list)).status_code == 200
    assert "Add a price" not in http.get(detail_url(price_list)).content.decode()
    assert http.get(reverse("sales:pricelist_create")).status_code == 403
    assert http.post(reverse("sales:pricelist_entry_add", args=[price_list.pk])).status_code \
        == 403
    delete_url = reverse("sales:pricelist_delete", args=[price_list.pk])
    assert login_as(key_account_manager).post(delete_url).status_code == 403
    http = login_as(sales_admin)
    assert http.get(delete_url).status_code == 405
    assert http.post(delete_url).status_code == 302
    assert not PriceList.objects.exists()


def test_edit_a_list_through_its_form(login_as, key_account_manager):
    price_list = PriceListFactory(name="Resellers")
    PriceListFactory(name="Key accounts")
    http = login_as(key_account_manager)
    edit_url = reverse("sales:pricelist_edit", args=[price_list.pk])
    response = submit(http, edit_url, name="Key accounts")
    assert response.context["form"].errors["name"] == [
        "Another price list already has this name."]
    submit(http, edit_url, currency="EUR", active=None)
    price_list.refresh_from_db()
    assert (price_list.currency, price_list.active) == ("EUR", False)
    assert Activity.objects.get(event="price_list.updated").changes["currency"] == ["RON", "EUR"]


def test_price_list_list_shows_counts(login_as, agent, item):
    price_list = PriceListFactory(name="Key accounts")
    entry(price_list, item, 1, "200")
    entry(price_list, item, 10, "180")
    entry(price_list, ItemFactory(), 1, "10")
    for client in ClientFactory.create_batch(3):
        ClientPricing.objects.create(client=client, price_list=price_list)
    GroupPricing.objects.create(group=ClientGroupFactory(), price_list=price_list)
    row = login_as(agent).get(PRICES_URL).context["page_obj"][0]
    assert (row.item_count, row.client_count, row.group_count) == (2, 3, 1)


def test_price_list_list_queries_do_not_grow_with_rows(assert_constant_queries, agent):
    def add_rows():
        for _ in range(3):
            price_list = PriceListFactory()
            entry(price_list, ItemFactory(), 1, "10")
            ClientPricing.objects.create(client=ClientFactory(), price_list=price_list)
            GroupPricing.objects.create(group=ClientGroupFactory(), price_list=price_list)

    add_rows()
    assert_constant_queries(PRICES_URL, add_rows, user=agent)


def test_price_list_page_queries_do_not_grow_with_rows(assert_constant_queries,
                                                       key_account_manager):
    price_list = PriceListFactory()

    def add_rows():
        for _ in range(3):
            item = ItemFactory()
            entry(price_list, item, 1, "10")
            entry(price_list, item, 5, "9")
            ClientPricing.objects.create(
                client=ClientFactory(owner=key_account_manager), price_list=price_list)
            GroupPricing.objects.create(group=ClientGroupFactory(), price_list=price_list)

    add_rows()
    assert_constant_queries(detail_url(price_list), add_rows, user=key_account_manager)


def test_list_page_shows_only_the_clients_the_user_may_see(login_as, key_account_manager,
                                                           kam_account):
    price_list = PriceListFactory()
    ClientPricing.objects.create(client=kam_account, price_list=price_list)
    ClientPricing.objects.create(client=ClientFactory(name="Someone Else SRL"),
                                 price_list=price_list)
    content = login_as(key_account_manager).get(detail_url(price_list)).content.decode()
    assert "Dunărea Agro SA" in content and "Someone Else SRL" not in content


# --- client groups -----------------------------------------------------------------------

def test_assign_a_list_to_a_client_group_and_remove_it(login_as, key_account_manager):
    resellers = ClientGroupFactory(name="Resellers")
    old_list = PriceListFactory(name="Resellers 2025")
    GroupPricing.objects.create(group=resellers, price_list=old_list)
    price_list = PriceListFactory(name="Resellers 2026")
    http = login_as(key_account_manager)
    assign_url = reverse("sales:pricelist_assign_group", args=[price_list.pk])

    response = submit(http, detail_url(price_list), action=assign_url, group=resellers.pk)
    assert response.status_code == 302
    assignment = GroupPricing.objects.get(group=resellers)
    assert assignment.price_list == price_list  # a group has one list: it replaced the old one
    assert Activity.objects.get(event="price_list.group_assigned").changes == {
        "group Resellers": ["Resellers 2025", "Resellers 2026"]}

    response = submit(http, detail_url(price_list), action=assign_url, group="")
    assert response.context["group_form"].errors["group"] == ["This field is required."]

    unassign_url = reverse("sales:pricelist_unassign_group", args=[assignment.pk])
    assert http.get(unassign_url).status_code == 405
    assert http.post(unassign_url).status_code == 302
    assert not GroupPricing.objects.exists()


# --- discount groups ---------------------------------------------------------------------

def test_discount_group_and_its_rates_through_the_forms(login_as, key_account_manager,
                                                        admin_user):
    licences = ItemGroupFactory(name="Licences")
    http = login_as(key_account_manager)
    response = submit(http, reverse("sales:discount_group_create"), name="Partners")
    group = DiscountGroup.objects.get(name="Partners")
    edit_url = reverse("sales:discount_group_edit", args=[group.pk])
    assert response["Location"] == edit_url

    rate_url = reverse("sales:discount_rate_add", args=[group.pk])
    submit(http, edit_url, action=rate_url, item_group=licences.pk, percent="10")
    submit(http, edit_url, action=rate_url, item_group=licences.pk, percent="12.5")
    assert DiscountRate.objects.get().percent == Decimal("12.5")  # set again: replaced
    assert [a.changes for a in Activity.objects.filter(event="discount_group.rate_set")
            .order_by("pk")] == [{"Licences": [None, "10"]}, {"Licences": ["10", "12.5"]}]

    response = submit(http, edit_url, action=rate_url, item_group=licences.pk, percent="150")
    assert response.status_code == 200
    assert "percent" in response.context["rate_form"].errors
    assert DiscountRate.objects.get().percent == Decimal("12.5")

    submit(http, edit_url, action=edit_url, name="Partner resellers")
    group.refresh_from_db()
    assert group.name == "Partner resellers"
    listed = http.get(reverse("sales:discount_groups")).content.decode()
    assert "Licences: 12.50 %" in listed

    rate = DiscountRate.objects.get()
    assert http.post(reverse("sales:discount_rate_delete", args=[rate.pk])).status_code == 302
    assert not DiscountRate.objects.exists()
    delete_url = reverse("sales:discount_group_delete", args=[group.pk])
    assert http.post(delete_url).status_code == 403
    assert login_as(admin_user).post(delete_url).status_code == 302
    assert not DiscountGroup.objects.exists()


def test_agent_sees_discount_groups_but_cannot_change_them(login_as, agent):
    group = DiscountGroup.objects.create(name="Partners")
    http = login_as(agent)
    assert http.get(reverse("sales:discount_groups")).status_code == 200
    assert http.get(reverse("sales:discount_group_edit", args=[group.pk])).status_code == 403
    assert http.post(reverse("sales:discount_rate_add", args=[group.pk])).status_code == 403


def test_discount_group_list_queries_do_not_grow_with_rows(assert_constant_queries, agent):
    def add_rows():
        for _ in range(3):
            group = DiscountGroup.objects.create(name=f"Group {DiscountGroup.objects.count()}")
            DiscountRate.objects.create(discount_group=group, item_group=ItemGroupFactory(),
                                        percent=5)
            ClientPricing.objects.create(client=ClientFactory(), discount_group=group)

    add_rows()
    assert_constant_queries(reverse("sales:discount_groups"), add_rows, user=agent)


# --- a client's pricing ------------------------------------------------------------------

def test_pricing_tab_shows_the_inherited_group_list(login_as, key_account_manager):
    group = ClientGroupFactory(name="Resellers")
    client = ClientFactory(owner=key_account_manager, group=group)
    GroupPricing.objects.create(group=group, price_list=PriceListFactory(name="Resellers 2026"))
    content = login_as(key_account_manager).get(client.get_absolute_url()).content.decode()
    assert 'id="pricing-tab"' in content
    assert "Resellers 2026" in content
    assert "Inherited from its client group “Resellers”." in content
    assert reverse("sales:client_pricing", args=[client.pk]) in content


def test_pricing_tab_without_the_change_permission_has_no_form(login_as, make_user):
    viewer = make_user()
    viewer.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["clients", "sales"],
        codename__in=["view_client", "view_all_client", "view_clientpricing"]))
    client = ClientFactory()
    content = login_as(viewer).get(client.get_absolute_url()).content.decode()
    assert "Catalogue prices" in content
    assert reverse("sales:client_pricing", args=[client.pk]) not in content


def test_agents_have_no_pricing_tab_and_cannot_post_it(login_as, agent, account):
    http = login_as(agent)
    assert 'id="pricing-tab"' not in http.get(account.get_absolute_url()).content.decode()
    url = reverse("sales:client_pricing", args=[account.pk])
    assert http.post(url, {"price_list": PriceListFactory().pk}).status_code == 403
    assert not ClientPricing.objects.exists()


def test_pricing_only_for_clients_in_scope(login_as, key_account_manager):
    other = ClientFactory(owner=UserFactory())
    price_list = PriceListFactory()
    url = reverse("sales:client_pricing", args=[other.pk])
    assert login_as(key_account_manager).post(url, {"price_list": price_list.pk}).status_code \
        == 404
    with pytest.raises(PermissionDenied):
        client_pricing_set(actor=key_account_manager, client=other, price_list=price_list,
                           discount_group=None)
    assert not ClientPricing.objects.exists()


def test_pricing_form_refuses_an_inactive_list_and_shows_itself_again(login_as,
                                                                      key_account_manager,
                                                                      kam_account):
    inactive = PriceListFactory(active=False)
    response = login_as(key_account_manager).post(
        reverse("sales:client_pricing", args=[kam_account.pk]), {"price_list": inactive.pk})
    assert response.status_code == 200
    assert "price_list" in response.context["form"].errors
    assert not ClientPricing.objects.exists()


def test_clearing_the_pricing_is_logged_on_the_client(login_as, key_account_manager,
                                                      kam_account):
    price_list = PriceListFactory(name="Key accounts")
    partners = DiscountGroup.objects.create(name="Partners")
    ClientPricing.objects.create(client=kam_account, price_list=price_list,
                                 discount_group=partners)
    http = login_as(key_account_manager)
    response = submit(http, kam_account.get_absolute_url(),
                      action=reverse("sales:client_pricing", args=[kam_account.pk]),
                      price_list="", discount_group="")
    assert response.status_code == 302
    pricing = ClientPricing.objects.get()
    assert (pricing.price_list, pricing.discount_group) == (None, None)
    assert Activity.objects.get(client=kam_account, event="client.pricing_changed").changes == {
        "price_list": ["Key accounts", None], "discount_group": ["Partners", None]}


# --- which price a client gets -----------------------------------------------------------

@pytest.fixture
def priced(key_account_manager, item):
    """The item in a group's list and a client's own list, with a volume tier."""
    resellers = ClientGroupFactory(name="Resellers")
    group_list = PriceListFactory(name="Resellers 2026")
    entry(group_list, item, 1, "240")
    GroupPricing.objects.create(group=resellers, price_list=group_list)
    own_list = PriceListFactory(name="Key accounts")
    entry(own_list, item, 1, "230")
    entry(own_list, item, 10, "210")
    return {"group": resellers, "group_list": group_list, "own_list": own_list}


def test_the_clients_own_list_wins_with_its_volume_tier(login_as, key_account_manager, item,
                                                        priced):
    client = ClientFactory(owner=key_account_manager, group=priced["group"])
    ClientPricing.objects.create(client=client, price_list=priced["own_list"])
    http = login_as(key_account_manager)
    assert quoted(http, item, client, quantity="9.5") == {
        "description": "Security audit", "unit": "day", "unit_price": "230.00",
        "discount_percent": "0.00", "vat_rate": "21.00", "vat_category": "S",
        "price_source": "Price list “Key accounts” (client's list)"}
    assert quoted(http, item, client, quantity="10")["price_source"] == \
        "Price list “Key accounts” (client's list, from 10 day)"
    assert quoted(http, item, client, quantity="10")["unit_price"] == "210.00"


def test_a_client_without_a_list_gets_its_groups(login_as, key_account_manager, item, priced):
    client = ClientFactory(owner=key_account_manager, group=priced["group"])
    answer = quoted(login_as(key_account_manager), item, client)
    assert (answer["unit_price"], answer["price_source"]) == (
        "240.00", "Price list “Resellers 2026” (group Resellers)")


def test_otherwise_the_catalogue(login_as, key_account_manager, item, priced):
    client = ClientFactory(owner=key_account_manager)
    answer = quoted(login_as(key_account_manager), item, client)
    assert (answer["unit_price"], answer["price_source"]) == ("250.00", "Catalogue")
    other_item = ItemFactory(unit_price="99.90")
    ClientPricing.objects.create(client=client, price_list=priced["own_list"])
    assert quoted(login_as(key_account_manager), other_item, client)["price_source"] == \
        "Catalogue"  # an item not in the client's list


def test_an_inactive_or_other_currency_list_is_not_used(login_as, key_account_manager, item,
                                                        priced):
    client = ClientFactory(owner=key_account_manager, group=priced["group"])
    ClientPricing.objects.create(client=client, price_list=priced["own_list"])
    http = login_as(key_account_manager)
    assert quoted(http, item, client, currency="EUR")["price_source"] == \
        "Catalogue, in RON: check the price"
    PriceList.objects.filter(pk=priced["own_list"].pk).update(active=False)
    assert quoted(http, item, client)["unit_price"] == "240.00"  # the group's list now


def test_a_client_the_user_cannot_see_is_ignored(login_as, other_agent, item, priced):
    client = ClientFactory(owner=UserFactory())
    ClientPricing.objects.create(client=client, price_list=priced["own_list"])
    answer = quoted(login_as(other_agent), item, client)
    assert (answer["unit_price"], answer["price_source"]) == ("250.00", "Catalogue")


def test_discount_group_percent_per_item_group(login_as, key_account_manager, priced):
    licences, services = ItemGroupFactory(name="Licences"), ItemGroupFactory(name="Services")
    licence = ItemFactory(unit_price="105", group=licences)
    consulting = ItemFactory(unit_price="250", group=services)
    partners = DiscountGroup.objects.create(name="Partners")
    DiscountRate.objects.create(discount_group=partners, item_group=licences, percent=10)
    client = ClientFactory(owner=key_account_manager)
    ClientPricing.objects.create(client=client, discount_group=partners)
    http = login_as(key_account_manager)
    answer = quoted(http, licence, client)
    assert (answer["unit_price"], answer["discount_percent"]) == ("105.00", "10.00")
    assert answer["price_source"] == "Catalogue · discount group “Partners” 10 %"
    assert quoted(http, consulting, client)["discount_percent"] == "0.00"


def test_a_proposal_keeps_its_prices_when_the_list_changes(key_account_manager, kam_account,
                                                           item, priced):
    ClientPricing.objects.create(client=kam_account, price_list=priced["own_list"])
    offer = quote(item=item, client=kam_account, quantity=Decimal(2))
    proposal = ProposalFactory(client=kam_account, assigned_to=key_account_manager, lines=[
        line(item, quantity=Decimal(2), unit_price=offer.unit_price,
             discount_percent=offer.discount_percent, price_source=offer.source)])
    PriceListEntry.objects.filter(price_list=priced["own_list"], min_quantity=1).update(
        unit_price=Decimal("300"))
    assert quote(item=item, client=kam_account, quantity=Decimal(2)).unit_price == \
        Decimal("300")
    stored = proposal.lines.get()
    assert stored.unit_price == Decimal("230")
    assert stored.price_source == "Price list “Key accounts” (client's list)"
    proposal.refresh_from_db()
    assert proposal.subtotal == Decimal("460.00")


def test_price_entry_service_checks_the_permission(agent, item):
    with pytest.raises(PermissionDenied):
        price_entry_add(actor=agent, price_list=PriceListFactory(), item=item,
                        min_quantity=Decimal(1), unit_price=Decimal(1))
    assert not PriceListEntry.objects.exists()
