import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from crmconnect.staff import roles
from tests.factories import ClientFactory, ClientGroupFactory, UserFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("clients:export")


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook["Clients"].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def exporter(make_user):
    return make_user(roles.SALES_MANAGER, first_name="Maria", last_name="Ionescu")


@pytest.fixture
def clients(exporter):
    group = ClientGroupFactory(name="Key accounts")
    return [
        ClientFactory(name="Alfa Ștefănești SRL", cui="RO18547290", group=group,
                      owner=exporter, county="RO-CJ", iban="RO49AAAA1B31007593840000"),
        ClientFactory(name="Beta SA", county="RO-TM", phone="+40 256 000 000",
                      notes="=HYPERLINK(\"http://evil\")", email="=cmd@x.ro"),
    ]


def test_csv_export_has_filtered_rows_with_group_and_owner(login_as, exporter, clients):
    rows = csv_rows(login_as(exporter).get(EXPORT, {"format": "csv", "county": "RO-CJ"}))
    assert len(rows) == 1
    row = rows[0]
    assert row["Name"] == "Alfa Ștefănești SRL"
    assert row["CUI/CIF"] == "RO18547290"
    assert row["Group"] == "Key accounts"
    assert row["Account owner"] == "Maria Ionescu"
    assert row["County code"] == "RO-CJ"
    assert row["IBAN"] == "RO49AAAA1B31007593840000"


def test_csv_export_neutralises_formulas(login_as, exporter, clients):
    rows = csv_rows(login_as(exporter).get(EXPORT, {"q": "Beta"}))
    assert rows[0]["Email"] == "'=cmd@x.ro"
    assert rows[0]["Phone"] == "'+40 256 000 000"


def test_xlsx_export(login_as, exporter, clients):
    rows = xlsx_rows(login_as(exporter).get(EXPORT, {"format": "xlsx", "o": "-name"}))
    assert [row["Name"] for row in rows] == ["Beta SA", "Alfa Ștefănești SRL"]
    assert rows[1]["Group"] == "Key accounts"
    assert rows[1]["Account owner"] == "Maria Ionescu"
    assert rows[0]["Email"] == "'=cmd@x.ro"
    assert rows[0]["Phone"] == "+40 256 000 000"


def test_export_contains_only_own_clients(login_as, make_user):
    manager = make_user(roles.ACCOUNT_MANAGER)
    ClientFactory(name="Mine", owner=manager)
    ClientFactory(name="Not mine", owner=UserFactory())
    client = login_as(manager)
    assert [row["Name"] for row in csv_rows(client.get(EXPORT))] == ["Mine"]
    assert [row["Name"] for row in xlsx_rows(client.get(EXPORT, {"format": "xlsx"}))] == [
        "Mine"]


def test_export_needs_permission(login_as, agent):
    assert login_as(agent).get(EXPORT).status_code == 403


def test_unknown_format_is_rejected(login_as, exporter):
    assert login_as(exporter).get(EXPORT, {"format": "pdf"}).status_code == 400


def test_export_query_count_does_not_grow(login_as, exporter, django_assert_num_queries):
    client = login_as(exporter)
    ClientFactory(owner=exporter, group=ClientGroupFactory())
    response = client.get(EXPORT)
    with django_assert_num_queries(1):
        b"".join(response.streaming_content)
    for _ in range(20):
        ClientFactory(owner=UserFactory(), group=ClientGroupFactory())
    response = client.get(EXPORT)
    with django_assert_num_queries(1):
        assert len(csv_rows(response)) == 21
