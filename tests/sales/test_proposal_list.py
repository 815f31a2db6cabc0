"""The proposals list: filters as query parameters, search, sort, scope, export and a query
count that does not grow with the rows."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook

from crmconnect.staff import roles
from sales.models import Proposal, ProposalSettings

from ..factories import ClientFactory, LeadFactory, ProposalFactory, UserFactory, line
from .conftest import with_link

LIST_URL = "/admin/proposals"
Status = Proposal.Status


def numbers(response):
    return [proposal.number for proposal in response.context["page_obj"]]


def make(agent, status=Status.DRAFT, **values):
    proposal = ProposalFactory(assigned_to=agent, client=values.pop("client", None)
                               or ClientFactory(owner=agent), **values)
    if status != Status.DRAFT:
        with_link(proposal, status)
    return proposal


@pytest.fixture
def mix(agent):
    """A draft, a sent, an accepted and an expired sent proposal of the agent."""
    today = timezone.localdate()
    return {
        "draft": make(agent, subject="Draft offer"),
        "sent": make(agent, Status.SENT, subject="Sent offer"),
        "accepted": make(agent, Status.ACCEPTED, subject="Accepted offer"),
        "expired": make(agent, Status.SENT, subject="Old offer",
                        open_till=today - datetime.timedelta(days=1)),
    }


def test_status_filter_and_the_old_address(login_as, manager, mix):
    client = login_as(manager)
    sent = [mix["expired"].number, mix["sent"].number]
    assert numbers(client.get(LIST_URL, {"status": 4})) == sent
    old = client.get("/admin/proposals/list_proposals", {"status": 4})
    assert old.status_code == 200 and numbers(old) == sent
    assert numbers(client.get(LIST_URL)) == [p.number for p in sorted(
        mix.values(), key=lambda p: -p.pk)]


def test_expired_view(login_as, manager, mix):
    response = login_as(manager).get(LIST_URL, {"filter": "expired"})
    assert numbers(response) == [mix["expired"].number]
    html = response.content.decode()
    assert html.count('class="badge text-bg-danger">Expired</span>') == 1


def test_not_viewed_view_uses_the_follow_up_setting(login_as, manager, agent):
    late = make(agent, Status.SENT, subject="Late")
    recent = make(agent, Status.SENT, subject="Recent")
    make(agent, Status.REVIEWED, subject="Opened")
    Proposal.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(
        days=4))
    client = login_as(manager)
    assert numbers(client.get(LIST_URL, {"filter": "not_viewed"})) == [late.number]
    settings = ProposalSettings.load()
    settings.follow_up_after_days = 5
    settings.save()
    assert numbers(client.get(LIST_URL, {"filter": "not_viewed"})) == []
    Proposal.objects.filter(pk=recent.pk).update(sent_at=F("sent_at") - datetime.timedelta(
        days=6))
    assert numbers(client.get(LIST_URL, {"filter": "not_viewed"})) == [recent.number]


def test_search_by_number_subject_and_client(login_as, manager, agent):
    acme = ClientFactory(name="Acme Industries SRL", owner=agent)
    first = make(agent, subject="Cloud migration", client=acme)
    second = make(agent, subject="Office printers")
    client = login_as(manager)
    assert numbers(client.get(LIST_URL, {"q": first.number})) == [first.number]
    assert numbers(client.get(LIST_URL, {"q": str(second.pk)})) == [second.number]
    assert numbers(client.get(LIST_URL, {"q": "printers"})) == [second.number]
    assert numbers(client.get(LIST_URL, {"q": "acme"})) == [first.number]


def test_filters_agent_client_currency_and_period(login_as, manager, agent, other_agent):
    mine = make(agent, currency="EUR", date=datetime.date(2025, 3, 10))
    theirs = make(other_agent, date=datetime.date(2025, 4, 10))
    client = login_as(manager)
    assert numbers(client.get(LIST_URL, {"assigned": agent.pk})) == [mine.number]
    assert numbers(client.get(LIST_URL, {"assigned": "me"})) == []
    assert numbers(client.get(LIST_URL, {"currency": "EUR"})) == [mine.number]
    assert numbers(client.get(LIST_URL, {"client": theirs.client_id})) == [theirs.number]
    assert numbers(client.get(LIST_URL, {"date_from": "2025-04-01",
                                         "date_to": "2025-04-30"})) == [theirs.number]
    page = client.get(LIST_URL, {"client": theirs.client_id}).content.decode()
    assert f"Proposals of <a href=\"/admin/clients/{theirs.client_id}\">" in page


def test_sort_by_total_date_and_number(login_as, manager, agent):
    small = make(agent, lines=[line(unit_price=Decimal(10))], date=datetime.date(2025, 1, 2))
    large = make(agent, lines=[line(unit_price=Decimal(900))], date=datetime.date(2025, 1, 1))
    client = login_as(manager)
    assert numbers(client.get(LIST_URL, {"o": "-total"})) == [large.number, small.number]
    assert numbers(client.get(LIST_URL, {"o": "total"})) == [small.number, large.number]
    assert numbers(client.get(LIST_URL, {"o": "date"})) == [large.number, small.number]
    assert numbers(client.get(LIST_URL, {"o": "number"})) == [small.number, large.number]
    assert numbers(client.get(LIST_URL)) == [large.number, small.number]  # newest first


def test_an_agent_sees_only_own_proposals(login_as, agent, other_agent):
    own = make(agent)
    make(other_agent)
    response = login_as(agent).get(LIST_URL)
    assert numbers(response) == [own.number]
    assert "assigned" not in response.context["filter"].form.fields


def test_a_lead_proposal_shows_the_lead(login_as, agent):
    lead = LeadFactory(assigned_to=agent, name="Dan Radu")
    ProposalFactory(client=None, lead=lead, recipient_name="", assigned_to=agent)
    html = login_as(agent).get(LIST_URL).content.decode()
    assert "Dan Radu" in html


def test_list_queries_do_not_grow_with_rows(assert_constant_queries, manager, agent):
    make(agent, Status.SENT)
    lead = LeadFactory(assigned_to=agent)

    def add_rows():
        for index in range(6):
            make(UserFactory(role=roles.SALES_AGENT), Status.ACCEPTED if index % 2 else
                 Status.SENT)
        ProposalFactory(client=None, lead=lead, assigned_to=agent)

    assert_constant_queries(f"{LIST_URL}?o=-total", add_rows, user=manager)


def test_own_scope_list_queries_do_not_grow(assert_constant_queries, agent):
    make(agent, open_till=datetime.date(2020, 1, 1))
    assert_constant_queries(f"{LIST_URL}?filter=expired",
                            lambda: [make(agent, open_till=datetime.date(2020, 1, 1))
                                     for _ in range(4)], user=agent)


def test_export_csv_with_the_filters(login_as, manager, mix):
    response = login_as(manager).get("/admin/proposals/export", {"status": 4, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Number"] for row in rows] == [mix["expired"].number, mix["sent"].number]
    assert rows[1]["Total"] == str(mix["sent"].total)
    assert rows[0]["Expired"] == "yes" and rows[1]["Status"] == "Sent"


def test_export_xlsx_has_numbers(login_as, manager, mix):
    response = login_as(manager).get("/admin/proposals/export", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    totals = [row[header.index("Total")] for row in sheet.iter_rows(min_row=2,
                                                                      values_only=True)]
    assert len(totals) == 4 and all(isinstance(total, float | int) for total in totals)


def test_export_needs_the_permission(login_as, agent):
    assert login_as(agent).get("/admin/proposals/export").status_code == 403
    assert "Export CSV" not in login_as(agent).get(LIST_URL).content.decode()


def test_empty_list_offers_to_create(login_as, agent):
    html = login_as(agent).get(LIST_URL).content.decode()
    assert "No proposals yet." in html and "/admin/proposals/add" in html
    assert "/admin/proposals/templates" in html


def test_invalid_filters_are_reported(login_as, manager, mix):
    client = login_as(manager)
    page = client.get(LIST_URL, {"status": 99})
    assert page.status_code == 200 and "status" in page.context["filter"].errors
    export = client.get("/admin/proposals/export", {"status": 99})
    assert export.status_code == 400 and b"Invalid filters" in export.content
