"""The sales order form (entered directly, repeated at today's prices, edited while New) and
the order page with its actions, driven through the rendered forms."""

from decimal import Decimal

import pytest

from crmconnect.activity.models import Activity
from crmconnect.core.navigation import Slot
from crmconnect.staff import roles
from sales import widgets
from sales.models import ClientPricing, PriceListEntry, SalesOrder
from sales.services.orders import sales_order_create

from ..factories import ClientFactory, ItemFactory, PriceListFactory, UserFactory, line, vat_rate
from ..forms import fill_line, messages_of, rendered_form

ADD_URL = "/admin/orders/add"


@pytest.fixture
def vat21(db):
    return vat_rate("21")


def make_order(actor, client, *, status=None, lines=None, **values):
    """An order entered by `actor` for `client`, moved to `status` (a fixture shortcut: the
    status machine is tested through the pages)."""
    order = sales_order_create(actor=actor, client=client,
                               lines=lines or [line(description="Licences",
                                                    quantity=Decimal(2),
                                                    unit_price=Decimal("100.00"))],
                               **values)
    if status is not None:
        SalesOrder.objects.filter(pk=order.pk).update(status=status)
        order.refresh_from_db()
    return order


@pytest.fixture
def order(agent, account):
    return make_order(agent, account, client_reference="PO-778")


@pytest.fixture
def client_price(account, vat21):
    """A support hour at 200 in the catalogue, 150 on the client's price list."""
    item = ItemFactory(code="SUP-1", name="Support hour", unit_price=Decimal("200"),
                       vat_rate=vat21)
    price_list = PriceListFactory(name="Key accounts")
    entry = PriceListEntry.objects.create(price_list=price_list, item=item,
                                          unit_price=Decimal("150"))
    ClientPricing.objects.create(client=account, price_list=price_list)
    return item, entry


# --- create ----------------------------------------------------------------------------------

def test_create_directly_at_the_clients_price(login_as, agent, account, client_price):
    item, _ = client_price
    http = login_as(agent)
    quote = http.get("/admin/items/quote", {"item": item.pk, "client": account.pk,
                                            "quantity": "4", "currency": "RON"}).json()
    assert Decimal(quote["unit_price"]) == Decimal("150")
    page = http.get(f"{ADD_URL}?client={account.pk}")
    data = rendered_form(page, None)
    assert data["client"] == str(account.pk) and data["currency"] == account.currency
    assert data["contact"] == str(account.contacts.get(is_primary=True).pk)
    data["client_reference"] = "PO-2026-17"
    fill_line(data, 0, item=item.pk, description=quote["description"], quantity="4",
              unit=quote["unit"], unit_price=quote["unit_price"],
              discount_percent=quote["discount_percent"], price_source=quote["price_source"])
    response = http.post(f"{ADD_URL}?client={account.pk}", data)
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.status == SalesOrder.Status.NEW and order.assigned_to == agent
    assert order.client_reference == "PO-2026-17" and order.proposal is None
    (saved,) = order.lines.all()
    assert saved.item == item and saved.unit_price == Decimal("150")
    assert "Key accounts" in saved.price_source
    assert order.total == Decimal("726.00")  # 4 × 150 + 21 % VAT
    assert Activity.objects.filter(event="salesorder.created", object_id=order.pk).exists()


def test_create_needs_a_client_and_a_line_and_keeps_the_input(login_as, agent, vat21):
    http = login_as(agent)
    data = rendered_form(http.get(ADD_URL), None)
    data["client_reference"] = "PO-1"
    response = http.post(ADD_URL, data)
    assert response.status_code == 200 and not SalesOrder.objects.exists()
    form, formset = response.context["form"], response.context["formset"]
    assert "client" in form.errors and "Add at least one line." in formset.non_form_errors()
    assert 'value="PO-1"' in response.content.decode()


def test_create_refuses_a_client_out_of_scope(login_as, agent, other_agent, vat21):
    foreign = ClientFactory(owner=other_agent)
    http = login_as(agent)
    data = rendered_form(http.get(ADD_URL), None)
    data["client"] = str(foreign.pk)
    fill_line(data, 0, description="Anything", unit_price="10")
    response = http.post(ADD_URL, data)
    assert response.status_code == 200 and "client" in response.context["form"].errors
    assert not SalesOrder.objects.exists()


def test_the_form_lists_the_clients_earlier_orders_to_repeat(login_as, agent, account,
                                                             other_agent, vat21):
    mine = make_order(agent, account)
    theirs = make_order(other_agent, ClientFactory(owner=other_agent))
    html = login_as(agent).get(f"{ADD_URL}?client={account.pk}").content.decode()
    assert f"?client={account.pk}&amp;repeat={mine.pk}" in html
    assert theirs.number not in html


def test_repeat_copies_items_at_todays_client_prices(login_as, agent, account, client_price):
    item, entry = client_price
    earlier = make_order(agent, account, currency="RON", client_reference="PO-OLD", lines=[
        line(item, quantity=Decimal(3), unit_price=Decimal("150")),
        line(description="Travel", unit_price=Decimal("80.00")),
    ])
    entry.unit_price = Decimal("140")  # the client's price changed since
    entry.save()
    http = login_as(agent)
    url = f"{ADD_URL}?repeat={earlier.pk}"
    page = http.get(url)
    assert f"Repeat order {earlier.number}" in page.content.decode()
    data = rendered_form(page, None)
    assert data["client"] == str(account.pk) and data["client_reference"] == ""
    assert Decimal(data["lines-0-unit_price"]) == Decimal("140")
    assert Decimal(data["lines-0-quantity"]) == Decimal("3")
    assert Decimal(data["lines-1-unit_price"]) == Decimal("80")  # typed by hand: kept
    assert http.post(url, data).status_code == 302
    repeated = SalesOrder.objects.exclude(pk=earlier.pk).get()
    assert [line.unit_price for line in repeated.lines.all()] == [Decimal("140"),
                                                                  Decimal("80")]


def test_repeat_of_an_order_out_of_scope_starts_empty(login_as, agent, other_agent, vat21):
    foreign = make_order(other_agent, ClientFactory(owner=other_agent))
    data = rendered_form(login_as(agent).get(f"{ADD_URL}?repeat={foreign.pk}"), None)
    assert data["client"] == "" and data.get("lines-0-description", "") == ""


# --- edit ------------------------------------------------------------------------------------

def test_edit_a_new_order(login_as, agent, order):
    http = login_as(agent)
    url = f"/admin/orders/{order.pk}/edit"
    data = rendered_form(http.get(url), None)
    data["client_reference"] = "PO-779"
    fill_line(data, 0, quantity="5")
    assert http.post(url, data).status_code == 302
    order.refresh_from_db()
    assert order.client_reference == "PO-779" and order.total == Decimal("605.00")


@pytest.mark.parametrize("status", [SalesOrder.Status.CONFIRMED, SalesOrder.Status.INVOICED,
                                    SalesOrder.Status.CANCELLED])
def test_only_a_new_order_can_be_edited(login_as, agent, account, status):
    closed = make_order(agent, account, status=status)
    http = login_as(agent)
    response = http.get(f"/admin/orders/{closed.pk}/edit", follow=True)
    assert response.redirect_chain[-1][0] == closed.get_absolute_url()
    assert "cannot be edited" in " ".join(messages_of(response))
    assert f'href="/admin/orders/{closed.pk}/edit"' not in response.content.decode()


# --- the page and its actions ----------------------------------------------------------------

def test_page_shows_status_reference_lines_and_actions(login_as, sales_admin, agent, order):
    html = login_as(sales_admin).get(order.get_absolute_url()).content.decode()
    assert 'data-status="1"' in html and "PO-778" in html and "Licences" in html
    for action in ("edit", "confirm", "cancel", "warehouse"):
        assert f"/admin/orders/{order.pk}/{action}" in html
    assert f"/admin/orders/add?client={order.client_id}&amp;repeat={order.pk}" in html


def test_an_agent_cannot_confirm(login_as, agent, order):
    http = login_as(agent)
    html = http.get(order.get_absolute_url()).content.decode()
    assert f"/admin/orders/{order.pk}/confirm" not in html
    assert f"/admin/orders/{order.pk}/edit" in html
    assert http.post(f"/admin/orders/{order.pk}/confirm").status_code == 403
    assert http.post(f"/admin/orders/{order.pk}/cancel", {"reason": "x"}).status_code == 403
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.NEW


def test_sales_admin_confirms(login_as, sales_admin, order):
    http = login_as(sales_admin)
    response = http.post(f"/admin/orders/{order.pk}/confirm", follow=True)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED and order.confirmed_at is not None
    assert f"Sales order {order.number} confirmed." in messages_of(response)
    html = response.content.decode()
    assert 'data-status="2"' in html and f"/admin/orders/{order.pk}/edit" not in html
    assert f"/admin/orders/{order.pk}/confirm" not in html
    # A second confirm is refused with the reason, not an error page.
    again = http.post(f"/admin/orders/{order.pk}/confirm", follow=True)
    assert "cannot do that" in " ".join(messages_of(again))


def test_cancel_needs_a_reason(login_as, sales_admin, order):
    http = login_as(sales_admin)
    refused = http.post(f"/admin/orders/{order.pk}/cancel", {"reason": " "}, follow=True)
    assert "say why" in " ".join(messages_of(refused))
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.NEW
    response = http.post(f"/admin/orders/{order.pk}/cancel", {"reason": "Duplicate order"},
                         follow=True)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED
    assert order.cancel_reason == "Duplicate order"
    assert "Duplicate order" in response.content.decode()


def test_warehouse_flag_on_and_off(login_as, agent, order):
    http = login_as(agent)
    http.post(f"/admin/orders/{order.pk}/warehouse", {"awaiting": "true"})
    order.refresh_from_db()
    assert order.awaiting_warehouse
    assert "Awaiting warehouse" in http.get(order.get_absolute_url()).content.decode()
    http.post(f"/admin/orders/{order.pk}/warehouse", {"awaiting": "false"})
    order.refresh_from_db()
    assert not order.awaiting_warehouse
    assert Activity.objects.filter(event="salesorder.warehouse", object_id=order.pk).count() == 2


@pytest.mark.parametrize("action", ["confirm", "cancel", "warehouse"])
def test_actions_answer_get_with_405(login_as, sales_admin, order, action):
    assert login_as(sales_admin).get(f"/admin/orders/{order.pk}/{action}").status_code == 405


def test_actions_on_an_order_out_of_scope_are_404(login_as, other_agent, order):
    http = login_as(other_agent)
    assert http.post(f"/admin/orders/{order.pk}/warehouse", {"awaiting": "true"}).status_code \
        == 404
    assert http.get(f"/admin/orders/{order.pk}/edit").status_code == 404


def test_history_tab_lists_the_orders_activity(login_as, sales_admin, order):
    http = login_as(sales_admin)
    http.post(f"/admin/orders/{order.pk}/confirm")
    html = http.get(order.get_absolute_url()).content.decode()
    assert 'id="order-history"' in html and f"Sales order {order.number}: confirmed" in html


def test_order_actions_slot_entries_are_rendered(login_as, agent, order, monkeypatch):
    slot = Slot("order_actions")
    slot.register(key="invoice", title="Convert to Invoice",
                  template="sales/orders/_status.html", permissions=("sales.view_salesorder",),
                  context=lambda request, order: {"order": order})
    monkeypatch.setattr(widgets.order_actions, "entries", slot.entries)
    html = login_as(agent).get(order.get_absolute_url()).content.decode()
    actions = html.split('id="order-actions"')[1].split("</div>")[0]
    assert 'data-status="1"' in actions


def test_finance_reads_but_gets_no_actions(login_as, order):
    finance = UserFactory(role=roles.FINANCE)
    html = login_as(finance).get(order.get_absolute_url()).content.decode()
    assert order.number in html and "Licences" in html
    for action in ("edit", "confirm", "cancel", "warehouse"):
        assert f"/admin/orders/{order.pk}/{action}" not in html
    assert "Repeat order" not in html


def test_the_log_says_what_the_order_is_worth(agent, order):
    logged = Activity.objects.get(event="salesorder.created", object_id=order.pk)
    assert logged.description == f"Sales order {order.number}: created for {order.client} " \
                                 "(242.00 RON)"
