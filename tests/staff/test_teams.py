import pytest

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from crmconnect.staff.models import Team
from tests.factories import TeamFactory, UserFactory


def test_create_a_team_with_members(admin_client, make_user):
    leader, first, second = (make_user(roles.SALES_AGENT) for _ in range(3))
    response = admin_client.post("/admin/teams/add", {
        "name": "North", "leader": leader.pk, "members": [first.pk, second.pk]})
    assert response.status_code == 302
    team = Team.objects.get(name="North")
    assert team.leader == leader
    assert set(team.members.all()) == {first, second}
    activity = Activity.objects.get(event="team.created")
    assert activity.changes == {"members_added": sorted([first.username, second.username])}


def test_edit_a_team_moves_members(admin_client, make_user):
    old_team, team = TeamFactory(name="Old"), TeamFactory(name="South")
    stays = make_user(roles.SALES_AGENT, team=team)
    leaves = make_user(roles.SALES_AGENT, team=team)
    moves = make_user(roles.SALES_AGENT, team=old_team)
    response = admin_client.post(f"/admin/teams/{team.pk}", {
        "name": "South-East", "leader": "", "members": [stays.pk, moves.pk]})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "South-East"
    assert set(team.members.all()) == {stays, moves}
    leaves.refresh_from_db()
    assert leaves.team is None
    assert not old_team.members.exists()
    changes = Activity.objects.get(event="team.updated").changes
    assert changes["name"] == ["South", "South-East"]
    assert changes["members_added"] == [moves.username]
    assert changes["members_removed"] == [leaves.username]


def test_saving_a_team_keeps_its_inactive_members(admin_client, make_user):
    team = TeamFactory()
    retired = make_user(roles.SALES_AGENT, team=team, is_active=False)
    page = admin_client.get(f"/admin/teams/{team.pk}").content.decode()
    assert f'value="{retired.pk}"' in page
    admin_client.post(f"/admin/teams/{team.pk}", {"name": team.name, "members": [retired.pk]})
    retired.refresh_from_db()
    assert retired.team == team


def test_a_duplicate_team_name_is_refused(admin_client):
    TeamFactory(name="North")
    response = admin_client.post("/admin/teams/add", {"name": "North"})
    assert response.status_code == 200
    assert "Team with this Name already exists." in response.content.decode()
    assert Team.objects.count() == 1


def test_delete_a_team_keeps_its_members(admin_client, make_user):
    team = TeamFactory()
    member = make_user(roles.SALES_AGENT, team=team)
    assert admin_client.get(f"/admin/teams/{team.pk}/delete").status_code == 405
    assert admin_client.post(f"/admin/teams/{team.pk}/delete").status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
    member.refresh_from_db()
    assert member.team is None
    assert Activity.objects.filter(event="team.deleted").exists()


def test_sales_manager_manages_teams_but_cannot_delete_them(login_as, make_user):
    team = TeamFactory()
    client = login_as(make_user(roles.SALES_MANAGER))
    assert client.get("/admin/teams").status_code == 200
    assert client.post(f"/admin/teams/{team.pk}", {"name": "Renamed"}).status_code == 302
    assert client.post(f"/admin/teams/{team.pk}/delete").status_code == 403
    assert Team.objects.filter(pk=team.pk, name="Renamed").exists()


@pytest.mark.parametrize("url", ["/admin/teams", "/admin/teams/add"])
def test_sales_agent_is_refused_teams(login_as, make_user, url):
    client = login_as(make_user(roles.SALES_AGENT))
    assert client.get(url).status_code == 403


def test_teams_list_query_count_is_constant(assert_constant_queries, admin_user):
    def add_rows():
        for _ in range(3):
            team = TeamFactory(leader=UserFactory())
            UserFactory.create_batch(2, team=team)

    assert_constant_queries("/admin/teams", add_rows, user=admin_user)
