"""The sales orders list: views, filters, search, sort, scope, export and its query count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from crmconnect.staff import roles
from sales.models import SalesOrder

from ..factories import ClientFactory, line
from .test_order_pages import make_order

URL = "/admin/orders"
Status = SalesOrder.Status


def numbers(response):
    assert response.status_code == 200, response.status_code
    return [order.number for order in response.context["page_obj"]]


@pytest.fixture
def orders(agent, account):
    """One order per status, the confirmed one in EUR and waiting for the warehouse."""
    return {
        "new": make_order(agent, account, client_reference="PO-NEW", awaiting_warehouse=True),
        "confirmed": make_order(agent, account, status=Status.CONFIRMED, currency="EUR",
                                exchange_rate=Decimal("5"), awaiting_warehouse=True),
        "invoiced": make_order(agent, account, status=Status.INVOICED,
                               awaiting_warehouse=True),
        "cancelled": make_order(agent, account, status=Status.CANCELLED),
    }


def test_status_and_view_filters(login_as, agent, orders):
    http = login_as(agent)
    assert numbers(http.get(URL)) == [orders[key].number for key in
                                      ("cancelled", "invoiced", "confirmed", "new")]
    assert numbers(http.get(URL, {"status": Status.NEW})) == [orders["new"].number]
    assert numbers(http.get(URL, {"filter": "uninvoiced"})) == [orders["confirmed"].number]
    # Invoiced and cancelled orders no longer wait for the warehouse.
    assert numbers(http.get(URL, {"filter": "warehouse"})) == [orders["confirmed"].number,
                                                               orders["new"].number]
    assert numbers(http.get(URL, {"currency": "EUR"})) == [orders["confirmed"].number]


def test_search_by_number_client_and_reference(login_as, agent, account, orders):
    other = make_order(agent, ClientFactory(owner=agent, name="Beta Logistics SRL"))
    http = login_as(agent)
    assert numbers(http.get(URL, {"q": orders["new"].number})) == [orders["new"].number]
    assert numbers(http.get(URL, {"q": str(orders["new"].pk)})) == [orders["new"].number]
    assert numbers(http.get(URL, {"q": "po-new"})) == [orders["new"].number]
    assert numbers(http.get(URL, {"q": "Beta"})) == [other.number]
    assert numbers(http.get(URL, {"client": other.client_id})) == [other.number]


def test_period_filter(login_as, agent, account):
    today = timezone.localdate()
    old = make_order(agent, account, date=today - datetime.timedelta(days=40))
    recent = make_order(agent, account, date=today)
    http = login_as(agent)
    since = (today - datetime.timedelta(days=30)).isoformat()
    assert numbers(http.get(URL, {"date_from": since})) == [recent.number]
    assert numbers(http.get(URL, {"date_to": since})) == [old.number]


def test_sort_by_total_and_status(login_as, agent, account):
    small = make_order(agent, account, lines=[line(unit_price=Decimal("10"))])
    large = make_order(agent, account, status=Status.CONFIRMED,
                       lines=[line(unit_price=Decimal("900"))])
    http = login_as(agent)
    assert numbers(http.get(URL, {"o": "total"})) == [small.number, large.number]
    assert numbers(http.get(URL, {"o": "-total"})) == [large.number, small.number]
    assert numbers(http.get(URL, {"o": "-status"})) == [large.number, small.number]


def test_agent_sees_only_own_orders_and_a_manager_filters_by_agent(login_as, agent, other_agent,
                                                                  manager, account):
    mine = make_order(agent, account)
    theirs = make_order(other_agent, ClientFactory(owner=other_agent))
    assert numbers(login_as(agent).get(URL)) == [mine.number]
    assert "assigned" not in login_as(agent).get(URL).context["filter"].form.fields
    http = login_as(manager)
    assert numbers(http.get(URL)) == [theirs.number, mine.number]
    assert numbers(http.get(URL, {"assigned": agent.pk})) == [mine.number]
    assert numbers(http.get(URL, {"assigned": "me"})) == []


def test_a_role_without_orders_gets_403(login_as, make_user):
    assert login_as(make_user(roles.SDR)).get(URL).status_code == 403


def test_empty_states(login_as, agent, account):
    http = login_as(agent)
    assert "No sales orders yet." in http.get(URL).content.decode()
    make_order(agent, account)
    assert "No orders match these filters." in http.get(
        URL, {"filter": "uninvoiced"}).content.decode()


def test_query_count_does_not_grow_with_rows(assert_constant_queries, manager, agent,
                                             other_agent, account):
    make_order(agent, account, awaiting_warehouse=True)

    def add_rows():
        for owner in (agent, other_agent):
            client = ClientFactory(owner=owner)
            for _ in range(3):
                make_order(owner, client, awaiting_warehouse=True)

    assert_constant_queries(f"{URL}?filter=warehouse", add_rows, user=manager)


def test_export_csv_respects_filters_and_scope(login_as, manager, agent, other_agent, orders):
    make_order(other_agent, ClientFactory(owner=other_agent))
    response = login_as(manager).get(f"{URL}/export", {"filter": "uninvoiced", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content)
                                       .decode("utf-8-sig"))))
    assert rows[0][:4] == ["Number", "Client", "Client reference", "Status"]
    assert [row[0] for row in rows[1:]] == [orders["confirmed"].number]
    assert rows[1][rows[0].index("Total")] == str(orders["confirmed"].total)


def test_export_xlsx_and_permission(login_as, manager, agent, orders):
    response = login_as(manager).get(f"{URL}/export", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert login_as(agent).get(f"{URL}/export").status_code == 403
