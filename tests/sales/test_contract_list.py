"""The contracts list: filters (expiring in 30/60 days, expired, status, type, client,
account manager, search), sorting, scope, query count and the CSV/XLSX export."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from crmconnect.staff import roles
from sales.models import Contract, ContractStatus, ContractType

from ..factories import ClientFactory
from .test_contract_pages import activate, make_contract

Kind = ContractStatus.Kind
LIST_URL = "/admin/contracts"


def ending_in(agent, client, days, subject, *, active=True):
    contract = make_contract(agent, client, subject=subject,
                             start_date=timezone.localdate() - datetime.timedelta(days=300),
                             end_date=timezone.localdate() + datetime.timedelta(days=days))
    return activate(contract) if active else contract


def listed(response):
    assert response.status_code == 200, response.status_code
    return [contract.subject for contract in response.context["page_obj"]]


@pytest.fixture
def spread(agent, account):
    """Active contracts ending in 10, 45 and 90 days, one that ended, a draft ending soon."""
    ending_in(agent, account, 45, "In 45 days")
    ending_in(agent, account, 10, "In 10 days")
    ending_in(agent, account, 90, "In 90 days")
    ended = ending_in(agent, account, -3, "Ended")
    Contract.objects.filter(pk=ended.pk).update(status=ContractStatus.first_of(Kind.EXPIRED))
    ending_in(agent, account, 5, "Draft ending", active=False)


def test_expiring_filters_list_active_contracts_soonest_first(login_as, agent, spread):
    client = login_as(agent)
    assert listed(client.get(f"{LIST_URL}?expires=30")) == ["In 10 days"]
    assert listed(client.get(f"{LIST_URL}?expires=60")) == ["In 10 days", "In 45 days"]
    # Another sort asked for wins over the soonest-first default.
    assert listed(client.get(f"{LIST_URL}?expires=60&o=-end")) == ["In 45 days", "In 10 days"]
    assert client.get(f"{LIST_URL}?expires=7").status_code == 200  # an invalid choice


def test_expired_filter(login_as, agent, spread):
    assert listed(login_as(agent).get(f"{LIST_URL}?filter=expired")) == ["Ended"]


def test_status_type_and_client_filters(login_as, agent, account, spread):
    client = login_as(agent)
    draft = ContractStatus.first_of(Kind.DRAFT)
    assert listed(client.get(f"{LIST_URL}?status={draft.pk}")) == ["Draft ending"]
    licence = ContractType.objects.get(name="Software licence")
    make_contract(agent, account, subject="Licence", contract_type=licence)
    assert listed(client.get(f"{LIST_URL}?type={licence.pk}")) == ["Licence"]
    other = make_contract(agent, ClientFactory(owner=agent, name="Beta SRL"), subject="Beta")
    response = client.get(f"{LIST_URL}?client={other.client_id}")
    assert listed(response) == ["Beta"] and response.context["filter_client"] == other.client


def test_search_by_number_subject_and_client(login_as, agent, account):
    wanted = make_contract(agent, account, subject="Hosting")
    make_contract(agent, ClientFactory(owner=agent, name="Beta SRL"), subject="Audit")
    client = login_as(agent)
    assert listed(client.get(f"{LIST_URL}?q=CTR-{wanted.pk:06d}")) == ["Hosting"]
    assert listed(client.get(f"{LIST_URL}?q={wanted.pk}")) == ["Hosting"]
    assert listed(client.get(f"{LIST_URL}?q=host")) == ["Hosting"]
    assert listed(client.get(f"{LIST_URL}?q=beta")) == ["Audit"]


def test_sort_by_value_and_number(login_as, agent, account):
    make_contract(agent, account, subject="Small", value="100")
    make_contract(agent, account, subject="Big", value="9000")
    client = login_as(agent)
    assert listed(client.get(LIST_URL)) == ["Big", "Small"]  # newest first
    assert listed(client.get(f"{LIST_URL}?o=value")) == ["Small", "Big"]
    assert listed(client.get(f"{LIST_URL}?o=number")) == ["Small", "Big"]


def test_the_row_shows_the_columns(login_as, agent, account):
    contract = ending_in(agent, account, 20, "Hosting")
    html = login_as(agent).get(LIST_URL).content.decode()
    row = html.split(f'data-contract="{contract.pk}"')[1].split("</tr>")[0]
    assert contract.number in row and "Alfa Consulting SRL" in row
    assert "1,200.00 RON" in row and 'data-days-left="20"' in row
    assert 'data-status="active"' in row and 'data-signed="online"' in row


def test_agents_see_their_own_contracts_managers_all(login_as, agent, other_agent, manager,
                                                     account):
    make_contract(agent, account, subject="Mine")
    make_contract(other_agent, ClientFactory(owner=other_agent), subject="Theirs")
    response = login_as(agent).get(LIST_URL)
    assert listed(response) == ["Mine"]
    assert "assigned" not in response.context["filter"].form.fields
    client = login_as(manager)
    assert sorted(listed(client.get(LIST_URL))) == ["Mine", "Theirs"]
    assert listed(client.get(f"{LIST_URL}?assigned={other_agent.pk}")) == ["Theirs"]
    assert listed(client.get(f"{LIST_URL}?assigned=me")) == []


def test_a_role_without_contracts_gets_403(login_as, make_user):
    assert login_as(make_user(roles.SDR)).get(LIST_URL).status_code == 403


def test_empty_states(login_as, agent):
    client = login_as(agent)
    assert "No contracts yet." in client.get(LIST_URL).content.decode()
    assert "No contracts match these filters." in client.get(
        f"{LIST_URL}?q=nothing").content.decode()


def test_query_count_does_not_grow_with_rows(assert_constant_queries, manager, agent,
                                             other_agent, account):
    licence = ContractType.objects.first()
    ending_in(agent, account, 20, "First")

    def add_rows():
        for index, owner in enumerate((agent, other_agent, agent)):
            activate(make_contract(owner, ClientFactory(owner=owner), subject=f"Row {index}",
                                   contract_type=licence))
        make_contract(agent, account, subject="Draft")

    assert_constant_queries(LIST_URL, add_rows, user=manager)


def test_export_csv_and_xlsx_with_the_filters(login_as, manager, agent, account):
    ending_in(agent, account, 20, "Hosting")
    make_contract(agent, account, subject="Later draft")
    client = login_as(manager)
    response = client.get(f"{LIST_URL}/export?expires=30&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Number", "Subject", "Client", "Type"]
    assert [row[1] for row in rows[1:]] == ["Hosting"]
    assert rows[1][rows[0].index("Value")] == "1200.00"
    response = client.get(f"{LIST_URL}/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Hosting", "Later draft"]
    assert client.get(f"{LIST_URL}/export?format=pdf").status_code == 400


def test_export_needs_the_permission(login_as, agent):
    assert login_as(agent).get(f"{LIST_URL}/export").status_code == 403
    assert "Export CSV" not in login_as(agent).get(LIST_URL).content.decode()
