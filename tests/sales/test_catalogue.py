"""Sales → Items: the catalogue list, item and item-group forms, the permissions of each role,
and the lookups the proposal line editor makes (autocomplete, the client's price)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from crmconnect.activity.models import Activity
from sales.models import Item, ItemGroup

from ..factories import (
    ItemFactory,
    ItemGroupFactory,
    ProposalFactory,
    line,
    vat_rate,
)
from ..forms import messages_of, submit

pytestmark = pytest.mark.django_db


# --- fixtures ----------------------------------------------------------------------------

@pytest.fixture
def services_group(db):
    return ItemGroupFactory(name="Services")


ITEMS_URL = "/admin/items"


# --- the list ----------------------------------------------------------------------------

def test_items_url_is_the_documented_one():
    assert reverse("sales:items") == ITEMS_URL
    assert reverse("sales:price_lists") == "/admin/prices"


def test_agent_sees_the_catalogue_but_cannot_add_or_change(login_as, agent, item):
    http = login_as(agent)
    page = http.get(ITEMS_URL)
    assert page.status_code == 200
    content = page.content.decode()
    assert "AUD-01" in content and "250.00 RON" in content
    assert reverse("sales:item_create") not in content
    assert http.get(reverse("sales:item_create")).status_code == 403
    assert http.post(reverse("sales:item_create"), {"code": "X"}).status_code == 403
    assert http.get(reverse("sales:item_edit", args=[item.pk])).status_code == 403
    assert http.post(reverse("sales:item_delete", args=[item.pk])).status_code == 403
    assert Item.objects.count() == 1


def test_a_user_without_a_role_cannot_open_the_catalogue(login_as, make_user):
    assert login_as(make_user()).get(ITEMS_URL).status_code == 403


def test_empty_catalogue_says_so_and_offers_to_add(login_as, sales_admin):
    content = login_as(sales_admin).get(ITEMS_URL).content.decode()
    assert "No items yet." in content
    assert f'href="{reverse("sales:item_create")}"' in content


def test_filters_search_and_sort(login_as, agent, services_group):
    hardware = ItemGroupFactory(name="Hardware")
    ItemFactory(code="SRV-CONS", name="IT consulting", unit_price="250", group=services_group)
    ItemFactory(code="SRV-AUD", name="Security audit", unit_price="2400", group=services_group)
    ItemFactory(code="HW-UPS", name="UPS 1500 VA", unit_price="1150", group=hardware,
                currency="EUR")
    ItemFactory(code="OLD-01", name="Legacy consulting", unit_price="10", active=False)
    http = login_as(agent)

    def codes(query):
        return [item.code for item in http.get(f"{ITEMS_URL}?{query}").context["page_obj"]]

    assert codes("q=srv") == ["SRV-CONS", "SRV-AUD"]  # code prefix, name order
    assert codes("q=consult") == ["SRV-CONS", "OLD-01"]  # name contains
    assert codes(f"group={hardware.pk}") == ["HW-UPS"]
    assert codes("active=false") == ["OLD-01"]
    assert codes("currency=EUR") == ["HW-UPS"]
    assert codes("o=-unit_price") == ["SRV-AUD", "HW-UPS", "SRV-CONS", "OLD-01"]
    assert codes("o=code&active=true") == ["HW-UPS", "SRV-AUD", "SRV-CONS"]
    page = http.get(f"{ITEMS_URL}?currency=GBP").content.decode()
    assert "No items match these filters." in page


def test_item_list_queries_do_not_grow_with_rows(assert_constant_queries, agent,
                                                 services_group):
    ItemFactory(group=services_group)

    def add_rows():
        for number in range(5):
            ItemFactory(group=ItemGroupFactory(), vat_rate=vat_rate("11" if number % 2 else "21"))

    assert_constant_queries(ITEMS_URL, add_rows, user=agent)


def test_export_follows_the_filters(login_as, agent, services_group):
    ItemFactory(code="SRV-CONS", name="IT consulting", unit_price="250.5", group=services_group)
    ItemFactory(code="=HACK", name="Formula", unit_price="1")
    response = login_as(agent).get(f"{reverse('sales:item_export')}?q=srv&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()
                                       .lstrip("\ufeff"))))
    assert rows[0][:5] == ["Code", "Name", "Group", "Unit", "Unit price"]
    assert rows[1][:5] == ["SRV-CONS", "IT consulting", "Services", "hour", "250.50"]
    assert len(rows) == 2
    everything = login_as(agent).get(f"{reverse('sales:item_export')}?format=csv")
    assert "'=HACK" in b"".join(everything.streaming_content).decode()
    assert login_as(agent).get(f"{reverse('sales:item_export')}?format=pdf").status_code == 400


# --- the item form -----------------------------------------------------------------------

def test_sales_admin_adds_an_item_through_the_form(login_as, sales_admin, services_group):
    http = login_as(sales_admin)
    response = submit(http, reverse("sales:item_create"), code="SRV-CONS", name="IT consulting",
                      group=services_group.pk, unit="hour", unit_price="250.00",
                      purchase_price="", description="Senior consultant, on site or remote")
    assert response.status_code == 302
    assert response["Location"] == ITEMS_URL
    item = Item.objects.get(code="SRV-CONS")
    assert item.unit_price == Decimal("250.00")
    assert item.vat_rate.rate == Decimal(21)  # the default rate is preselected
    assert item.currency == "RON" and item.active and item.created_by == sales_admin
    assert Activity.objects.get(event="item.created").actor == sales_admin
    assert "Item “SRV-CONS — IT consulting” added." in messages_of(http.get(ITEMS_URL))


def test_duplicate_code_and_bad_price_show_on_the_form_with_the_input_kept(
        login_as, sales_admin, item):
    response = submit(login_as(sales_admin), reverse("sales:item_create"), code="AUD-01",
                      name="Another audit", unit_price="-5")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["code"] == ["Another item already has this code."]
    assert errors["unit_price"] == ["A price cannot be negative."]
    content = response.content.decode()
    assert 'value="Another audit"' in content and "is-invalid" in content
    assert Item.objects.count() == 1


def test_edit_keeps_a_log_of_what_changed(login_as, sales_admin, item):
    http = login_as(sales_admin)
    response = submit(http, item.get_absolute_url(), unit_price="275.00", active=None)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.unit_price == Decimal("275.00") and not item.active
    changes = Activity.objects.get(event="item.updated").changes
    assert changes["active"] == [True, False]
    assert Decimal(changes["unit_price"][1]) == Decimal("275.00")


def test_delete_is_a_confirmed_post_and_proposals_keep_their_copy(login_as, sales_admin, item,
                                                                   account, agent):
    proposal = ProposalFactory(client=account, assigned_to=agent,
                               lines=[line(item, quantity=Decimal(2))])
    http = login_as(sales_admin)
    edit_page = http.get(item.get_absolute_url()).content.decode()
    delete_url = reverse("sales:item_delete", args=[item.pk])
    assert f'action="{delete_url}" data-confirm=' in edit_page
    assert http.get(delete_url).status_code == 405
    assert http.post(delete_url).status_code == 302
    assert not Item.objects.exists()
    stored = proposal.lines.get()
    assert stored.item is None
    assert (stored.description, stored.unit_price) == ("Security audit", Decimal("250.00"))
    assert Activity.objects.get(event="item.deleted").changes == {
        "name": ["AUD-01 — Security audit", None]}


# --- item groups -------------------------------------------------------------------------

def test_item_groups_through_their_forms(login_as, sales_admin, admin_user):
    http = login_as(sales_admin)
    groups_url = reverse("sales:item_groups")
    assert "No item groups yet." in http.get(groups_url).content.decode()
    response = submit(http, reverse("sales:item_group_create"), name="Licences")
    assert response["Location"] == groups_url
    group = ItemGroup.objects.get(name="Licences")
    ItemFactory(group=group)

    response = submit(http, reverse("sales:item_group_create"), name="Licences")
    assert response.context["form"].errors["name"] == [
        "Another item group already has this name."]

    submit(http, reverse("sales:item_group_edit", args=[group.pk]), name="Software licences")
    group.refresh_from_db()
    assert group.name == "Software licences"
    page = http.get(groups_url).content.decode()
    assert f'href="{ITEMS_URL}?group={group.pk}">1</a>' in page

    delete_url = reverse("sales:item_group_delete", args=[group.pk])
    assert http.post(delete_url).status_code == 403  # deleting groups is the administrator's
    assert login_as(admin_user).post(delete_url).status_code == 302
    assert Item.objects.get().group is None


def test_agent_sees_item_groups_but_cannot_add(login_as, agent):
    http = login_as(agent)
    assert http.get(reverse("sales:item_groups")).status_code == 200
    assert http.get(reverse("sales:item_group_create")).status_code == 403


def test_item_group_list_queries_do_not_grow_with_rows(assert_constant_queries, agent):
    ItemFactory(group=ItemGroupFactory())
    assert_constant_queries(reverse("sales:item_groups"),
                            lambda: [ItemFactory(group=ItemGroupFactory()) for _ in range(4)],
                            user=agent)


# --- lookups for the line editor ---------------------------------------------------------

def test_autocomplete_matches_code_or_name_among_active_items(login_as, agent):
    ItemFactory(code="SRV-CONS", name="IT consulting", unit_price="250", unit="hour")
    ItemFactory(code="BOOK-1", name="Printed manual", unit_price="120.5",
                vat_rate=vat_rate("11"))
    ItemFactory(code="SRV-OLD", name="Old consulting", active=False)
    http = login_as(agent)
    url = reverse("sales:items_autocomplete")
    found = http.get(url, {"q": "srv"}).json()
    assert found == [{"id": Item.objects.get(code="SRV-CONS").pk, "code": "SRV-CONS",
                      "name": "IT consulting", "unit": "hour", "unit_price": "250.00",
                      "currency": "RON", "vat_rate": "21.00", "vat_category": "S"}]
    assert [row["code"] for row in http.get(url, {"q": "MANUAL"}).json()] == ["BOOK-1"]
    assert http.get(url, {"q": "manual"}).json()[0]["vat_rate"] == "11.00"


def test_autocomplete_is_bounded(login_as, agent):
    for number in range(25):
        ItemFactory(name=f"Consulting package {number:02d}")
    assert len(login_as(agent).get(reverse("sales:items_autocomplete"), {"q": "pack"}).json()) \
        == 20


def test_lookups_need_the_catalogue_permission(login_as, make_user, item):
    http = login_as(make_user())
    assert http.get(reverse("sales:items_autocomplete"), {"q": "a"}).status_code == 403
    assert http.get(reverse("sales:item_quote"), {"item": item.pk}).status_code == 403


def test_quote_of_the_catalogue_price(login_as, agent, item, account):
    response = login_as(agent).get(reverse("sales:item_quote"),
                                   {"item": item.pk, "client": account.pk, "quantity": "3"})
    assert response.json() == {
        "description": "Security audit", "unit": "day", "unit_price": "250.00",
        "discount_percent": "0.00", "vat_rate": "21.00", "vat_category": "S",
        "price_source": "Catalogue"}


def test_quote_refuses_a_bad_query(login_as, agent, item):
    http = login_as(agent)
    url = reverse("sales:item_quote")
    assert http.get(url).status_code == 400
    assert http.get(url, {"item": 999999}).status_code == 400
    response = http.get(url, {"item": item.pk, "quantity": "0"})
    assert response.status_code == 400
    assert response.json()["errors"]["quantity"] == ["The quantity must be above zero."]
    described = ItemFactory(name="Audit", description="Two auditors, report in Romanian")
    assert http.get(url, {"item": described.pk}).json()["description"] == \
        "Audit\nTwo auditors, report in Romanian"


def test_quote_says_when_the_catalogue_currency_differs(login_as, agent):
    item = ItemFactory(unit_price="100", currency="EUR")
    response = login_as(agent).get(reverse("sales:item_quote"),
                                   {"item": item.pk, "currency": "RON"})
    assert response.json()["price_source"] == "Catalogue, in EUR: check the price"


def test_item_change_needs_the_permission_even_through_the_service(agent, item):
    from django.core.exceptions import PermissionDenied

    from sales.services.catalogue import item_update

    with pytest.raises(PermissionDenied):
        item_update(actor=agent, item=item, name="Renamed")
    assert Item.objects.get().name == "Security audit"


def test_catalogue_menu_entries(login_as, agent):
    content = login_as(agent).get(ITEMS_URL).content.decode()
    assert f'href="{ITEMS_URL}"' in content and 'href="/admin/prices"' in content
