import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads.models import Tag
from tests.factories import LeadFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("leads:export")
OPPORTUNITIES_EXPORT = reverse("leads:opportunities_export")


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response, sheet):
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook[sheet].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def leads(stages, agent, other_agent, source):
    vip, hot = Tag.objects.create(name="vip"), Tag.objects.create(name="hot")
    ana = LeadFactory(name="Ana Pop", company="Alfa Ștefănești SRL", email="ana@alfa.ro",
                      phone="+40 722 000 000", status=stages[1], assigned_to=agent,
                      source=source, value=Decimal("1500.50"), currency="EUR")
    ana.tags.add(vip, hot)
    LeadFactory(name="=HYPERLINK(\"http://evil\")", status=stages[0], assigned_to=other_agent)
    OpportunityFactory(name="An opportunity", status=stages[0], assigned_to=agent)
    return ana


def test_csv_export_of_the_filtered_leads(login_as, manager, leads, source):
    rows = csv_rows(login_as(manager).get(EXPORT, {"format": "csv", "source": source.pk}))
    assert len(rows) == 1
    row = rows[0]
    assert row["Name"] == "Ana Pop"
    assert row["Company"] == "Alfa Ștefănești SRL"
    assert row["Pipeline"] == "Sales"
    assert row["Status"] == "Contacted"
    assert row["Source"] == "Web form"
    assert row["Assigned agent"] == str(leads.assigned_to)
    assert row["Value"] == "1500.50"
    assert row["Currency"] == "EUR"
    assert row["Tags"] == "hot, vip"
    assert row["Phone"] == "'+40 722 000 000"  # a leading + is a formula to a spreadsheet


def test_csv_neutralises_formulas_and_leaves_out_opportunities(login_as, manager, leads):
    rows = csv_rows(login_as(manager).get(EXPORT))
    assert [row["Name"] for row in rows] == ["'=HYPERLINK(\"http://evil\")", "Ana Pop"]


def test_xlsx_export(login_as, manager, leads):
    rows = xlsx_rows(login_as(manager).get(EXPORT, {"format": "xlsx", "o": "name"}), "Leads")
    assert [row["Name"] for row in rows] == ["'=HYPERLINK(\"http://evil\")", "Ana Pop"]
    assert rows[1]["Value"] == 1500.5
    assert rows[1]["Tags"] == "hot, vip"
    assert rows[1]["Phone"] == "+40 722 000 000"


def test_export_respects_the_view_filter(login_as, manager, leads, lost_reason):
    leads.lost_at, leads.lost_reason = leads.created_at, lost_reason
    leads.save()
    rows = csv_rows(login_as(manager).get(EXPORT, {"filter": "lost"}))
    assert [(row["Name"], row["Lost reason"]) for row in rows] == [("Ana Pop", "Price too high")]


def test_export_contains_only_own_leads(login_as, agent, leads):
    """No default role exports with "own" scope; one given export_lead keeps its scope."""
    agent.user_permissions.add(Permission.objects.get(codename="export_lead"))
    rows = csv_rows(login_as(agent).get(EXPORT))
    assert [row["Name"] for row in rows] == ["Ana Pop"]


def test_export_needs_the_export_permission(login_as, agent, leads):
    client = login_as(agent)
    assert client.get(EXPORT).status_code == 403
    assert client.get(OPPORTUNITIES_EXPORT).status_code == 403


def test_unknown_format_or_invalid_filter_is_400(login_as, manager, leads):
    client = login_as(manager)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
    response = client.get(EXPORT, {"source": "99999"})
    assert response.status_code == 400
    assert "source" in response.content.decode()


def test_export_queries_do_not_grow_per_row(login_as, manager, stages):
    client = login_as(manager)
    tag = Tag.objects.create(name="vip")

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            csv_rows(client.get(EXPORT))
        return len(queries)

    LeadFactory(status=stages[0]).tags.add(tag)
    before = export_queries()
    for lead in LeadFactory.create_batch(5, status=stages[0]):
        lead.tags.add(tag)
    assert export_queries() == before


def test_opportunities_export(login_as, manager, agent, opportunity_status):
    OpportunityFactory(name="Deal", value=Decimal("10.05"), probability=50,
                       opportunity_status=opportunity_status, assigned_to=agent,
                       close_date=datetime.date(2025, 3, 15))
    LeadFactory(name="Just a lead")
    client = login_as(manager)
    [row] = csv_rows(client.get(OPPORTUNITIES_EXPORT))
    assert (row["Name"], row["Status"], row["Value"], row["Probability %"],
            row["Weighted value"], row["Close date"], row["Owner"]) == (
        "Deal", "Qualification", "10.05", "50", "5.03", "2025-03-15", str(agent))
    [row] = xlsx_rows(client.get(OPPORTUNITIES_EXPORT, {"format": "xlsx"}), "Opportunities")
    assert row["Weighted value"] == 5.03
    assert row["Close date"] == datetime.datetime(2025, 3, 15)
