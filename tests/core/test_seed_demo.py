import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from schwifty import IBAN
from stdnum.ro import cf

from crmconnect.activity.models import Activity, Task
from crmconnect.clients.models import Client, ClientGroup, Contact
from crmconnect.company.models import CompanySettings
from crmconnect.core.demo import DEMO_PASSWORD, USERS
from crmconnect.staff import roles
from crmconnect.staff.models import Team, User
from leads.models import Interaction, Lead

SEEDED_MODELS = [User, Team, ClientGroup, Client, Contact, Task, Activity, Lead, Interaction]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def test_second_run_adds_nothing(seeded, capsys):
    first = counts()
    assert first["Client"] >= 20 and first["Contact"] > first["Client"]
    assert Lead.objects.leads().count() >= 10 and Lead.objects.opportunities().exists()
    call_command("seed_demo")
    assert counts() == first
    assert "created now: 0 users, 0 teams, 0 groups, 0 clients" in capsys.readouterr().out


def test_prints_the_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for spec in USERS:
        assert spec.username in out and spec.role in out
    assert DEMO_PASSWORD in out


def test_one_user_per_role_who_can_log_in(seeded, client):
    for role in roles.ROLES:
        members = User.objects.filter(groups__name=role)
        assert members.count() == 1, role
        assert client.login(username=members.get().username, password=DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(username="admin").filter(is_superuser=True).exists()


def test_clients_are_valid_romanian_companies(seeded):
    clients = list(Client.objects.all())
    assert len({client.cui for client in clients}) == len(clients)
    for client in clients:
        client.full_clean()
        assert cf.is_valid(client.cui), client.cui
        assert client.cui.startswith("RO") == client.vat_payer
        assert IBAN(client.iban).country_code == "RO"
        assert client.owner.username in ("agent", "am", "kam")
        assert client.contacts.filter(is_primary=True).count() == 1, client
    assert Client.objects.filter(county="RO-B").exclude(sector="").count() >= 2


def test_company_settings_are_filled_and_kept(seeded):
    company = CompanySettings.load()
    company.full_clean()
    assert company.legal_name and cf.is_valid(company.cui)
    assert IBAN(company.iban).bank_code == "BTRL"
    assert (company.county, company.sector) == ("RO-B", "SECTOR1")
    company.legal_name = "Renamed SRL"
    company.save()
    call_command("seed_demo", stdout=io.StringIO())
    assert CompanySettings.load().legal_name == "Renamed SRL"


def test_agent_has_tasks_due_today_and_overdue(seeded):
    agent = User.objects.get(username="agent")
    tasks = Task.objects.filter(assignee=agent)
    assert tasks.due_today().exists() and tasks.overdue().exists()
    client_type = ContentType.objects.get_for_model(Client)
    assert all(task.content_type == client_type and task.client_id == task.object_id
               for task in tasks)
    assert tasks.filter(due_date__gt=timezone.localdate()).exists()


def test_teams_have_leaders_and_members(seeded):
    cluj = Team.objects.get(name="Sales Team Cluj")
    bucharest = Team.objects.get(name="Sales Team București")
    assert cluj.leader.username == "manager" and bucharest.leader.username == "kam"
    assert set(cluj.members.values_list("username", flat=True)) >= {"agent", "sdr", "am"}


@pytest.mark.parametrize("username", [spec.username for spec in USERS])
def test_dashboard_answers_for_every_role(seeded, client, username):
    client.force_login(User.objects.get(username=username))
    assert client.get("/admin").status_code == 200
