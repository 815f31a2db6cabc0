import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from crmconnect.activity.models import Activity
from leads import queries
from leads.events import lead_status_changed
from leads.models import Lead, Pipeline
from tests.factories import LeadFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db
BOARD = reverse("leads:board")


def column_url(status, **params):
    url = reverse("leads:column", args=[status.pk])
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in params.items())}"


def card_names(response):
    assert response.status_code == 200
    return [lead.name for lead in response.context["cards"]]


def moved_ago(lead, **delta):
    Lead.objects.filter(pk=lead.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(**delta))


def htmx_move(client, lead, status, **extra):
    return client.post(reverse("leads:move", args=[lead.pk]), {"status": status.pk, **extra},
                       headers={"HX-Request": "true"})


# --- the page ----------------------------------------------------------------------------

def test_board_shows_the_pipeline_columns_in_order_loading_lazily(admin_client, stages):
    response = admin_client.get(BOARD)
    assert response.status_code == 200
    assert [status.name for status in response.context["columns"]] == [
        "New", "Contacted", "Qualified", "Demo Scheduled", "Proposal Sent"]
    content = response.content.decode()
    positions = [content.index(f">{' '}{status.name}</h2>") for status in stages]
    assert positions == sorted(positions)
    for status in stages:
        assert f'hx-get="{reverse("leads:column", args=[status.pk])}"' in content
    assert 'hx-trigger="load"' in content


def test_board_offers_other_pipelines(admin_client, stages, other_pipeline):
    response = admin_client.get(BOARD, {"pipeline": other_pipeline.pk})
    assert response.context["pipeline"] == other_pipeline
    assert [status.name for status in response.context["columns"]] == ["Intro"]
    assert admin_client.get(BOARD, {"pipeline": "nonsense"}).context["pipeline"] == stages[
        0].pipeline


def test_default_pipeline_comes_first(admin_client, stages, other_pipeline):
    Pipeline.objects.update(is_default=False)
    other_pipeline.is_default = True
    other_pipeline.save()
    assert admin_client.get(BOARD).context["pipeline"] == other_pipeline


def test_column_counts_are_capped_and_filtered(admin_client, stages, agent, monkeypatch):
    monkeypatch.setattr(queries, "COLUMN_COUNT_CAP", 2)
    LeadFactory.create_batch(3, status=stages[0])
    LeadFactory(status=stages[1], assigned_to=agent)
    response = admin_client.get(BOARD)
    counts = {status.name: status.card_count for status in response.context["columns"]}
    assert counts["New"] == 3  # counted up to cap + 1: shown as "2+"
    assert counts["Contacted"] == 1
    assert ">2+</span>" in response.content.decode()
    mine = admin_client.get(BOARD, {"assigned": agent.pk}).context["columns"]
    assert [status.card_count for status in mine] == [0, 1, 0, 0, 0]


def test_filters_are_passed_to_the_columns(admin_client, stages, source):
    content = admin_client.get(BOARD, {"source": source.pk, "q": "alfa"}).content.decode()
    assert f"{reverse('leads:column', args=[stages[0].pk])}?q=alfa&amp;source={source.pk}" in (
        content)


def test_board_without_pipeline_explains(admin_client):
    Pipeline.objects.update(active=False)
    response = admin_client.get(BOARD)
    assert response.status_code == 200
    assert "There is no active pipeline yet" in response.content.decode()


# --- one column ----------------------------------------------------------------------------

def test_column_shows_active_visible_leads_newest_moved_first(login_as, agent, other_agent,
                                                             stages, lost_reason):
    older = LeadFactory(name="Older", status=stages[0], assigned_to=agent)
    newer = LeadFactory(name="Newer", status=stages[0], assigned_to=agent)
    moved_ago(older, days=3)
    moved_ago(newer, days=1)
    LeadFactory(name="Other stage", status=stages[1], assigned_to=agent)
    LeadFactory(name="Not mine", status=stages[0], assigned_to=other_agent)
    LeadFactory(name="Lost", status=stages[0], assigned_to=agent, lost_at=timezone.now(),
                lost_reason=lost_reason)
    LeadFactory(name="Junk", status=stages[0], assigned_to=agent, is_junk=True)
    OpportunityFactory(name="Opportunity", status=stages[0], assigned_to=agent)

    response = login_as(agent).get(column_url(stages[0]))
    assert card_names(response) == ["Newer", "Older"]
    content = response.content.decode()
    assert reverse("leads:move", args=[newer.pk]) in content
    assert "Load more" not in content


def test_column_cards_show_value_agent_and_stagnation(admin_client, stages, agent):
    lead = LeadFactory(name="Ana Pop", company="Alfa SRL", status=stages[0], assigned_to=agent,
                       value="12500.50", currency="EUR")
    moved_ago(lead, days=20)
    content = admin_client.get(column_url(stages[0])).content.decode()
    assert "Ana Pop" in content and "Alfa SRL" in content
    assert "12,500.50 EUR" in content
    assert str(agent) in content
    assert re.search(r'class="text-danger fw-semibold"[^>]*>.*20 d', content)


def test_load_more_pages_by_keyset(admin_client, stages):
    now = timezone.now()
    for number in range(queries.CARDS_PER_COLUMN + 5):
        lead = LeadFactory(name=f"Lead {number:02}", status=stages[0])
        Lead.objects.filter(pk=lead.pk).update(
            status_changed_at=now - datetime.timedelta(hours=number // 2))
    response = admin_client.get(column_url(stages[0], source=""))
    first = card_names(response)
    assert len(first) == queries.CARDS_PER_COLUMN
    more_url = response.context["more_url"]
    assert more_url and "before=" in more_url
    assert 'hx-swap="outerHTML"' in response.content.decode()

    response = admin_client.get(more_url)
    rest = card_names(response)
    assert len(rest) == 5
    assert response.context["more_url"] is None
    expected = list(Lead.objects.order_by("-status_changed_at", "-id")
                    .values_list("name", flat=True))
    assert first + rest == expected


def test_column_rejects_a_malformed_cursor(admin_client, stages):
    assert admin_client.get(column_url(stages[0], before="yesterday")).status_code == 400


def test_column_of_unknown_status_is_404(admin_client):
    assert admin_client.get(reverse("leads:column", args=[999999])).status_code == 404


def test_board_and_column_need_view_permission(login_as, make_user, stages):
    finance = make_user("Finance")
    client = login_as(finance)
    assert client.get(BOARD).status_code == 403
    assert client.get(column_url(stages[0])).status_code == 403


def test_board_page_query_count_is_constant(assert_constant_queries, admin_user, stages):
    assert_constant_queries(BOARD, lambda: LeadFactory.create_batch(5, status=stages[1]),
                            user=admin_user)


def test_column_query_count_is_constant(assert_constant_queries, agent, stages):
    LeadFactory(status=stages[0], assigned_to=agent)
    assert_constant_queries(
        column_url(stages[0]),
        lambda: LeadFactory.create_batch(5, status=stages[0], assigned_to=agent), user=agent)


# --- moving a card ---------------------------------------------------------------------------

@pytest.fixture
def received():
    events = []

    def receiver(sender, **kwargs):
        events.append(kwargs)

    lead_status_changed.connect(receiver)
    yield events
    lead_status_changed.disconnect(receiver)


def test_owner_moves_a_lead(login_as, agent, lead, stages, received,
                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = htmx_move(login_as(agent), lead, stages[2])
    assert response.status_code == 200
    assert lead.name in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == stages[2]
    log = Activity.objects.get(event="lead.status_changed")
    assert log.changes == {"status": ["New", "Qualified"]}
    assert len(received) == 1
    assert received[0]["old_status"] == stages[0]
    assert received[0]["new_status"] == stages[2]
    assert received[0]["actor"] == agent


def test_move_to_a_status_of_another_pipeline_is_refused(login_as, agent, lead,
                                                         other_pipeline):
    response = htmx_move(login_as(agent), lead, other_pipeline.statuses.get())
    assert response.status_code == 400
    assert "another pipeline" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    lead.refresh_from_db()
    assert lead.status.name == "New"
    assert not Activity.objects.filter(event="lead.status_changed").exists()


def test_move_of_another_agents_lead_is_404(login_as, other_agent, lead, stages):
    response = htmx_move(login_as(other_agent), lead, stages[1])
    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.status == stages[0]


def test_role_without_change_permission_gets_403(login_as, lead, stages):
    viewer = Group.objects.create(name="Viewer")
    viewer.permissions.set(Permission.objects.filter(
        content_type__app_label="leads", codename__in=["view_lead", "view_all_lead"]))
    user = UserFactory()
    user.groups.add(viewer)
    client = login_as(user)
    assert 'data-movable="false"' in client.get(BOARD).content.decode()  # no dragging
    response = htmx_move(client, lead, stages[1])
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.status == stages[0]


def test_lost_lead_cannot_move(login_as, agent, lead, stages, lost_reason):
    Lead.objects.filter(pk=lead.pk).update(lost_at=timezone.now(), lost_reason=lost_reason)
    response = htmx_move(login_as(agent), lead, stages[1])
    assert response.status_code == 400
    assert "restore it first" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == stages[0]


def test_move_without_a_valid_status_says_so(login_as, agent, lead):
    response = login_as(agent).post(reverse("leads:move", args=[lead.pk]), {"status": "x"},
                                    headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Choose the status" in response.content.decode()


def test_move_is_post_only(login_as, agent, lead):
    assert login_as(agent).get(reverse("leads:move", args=[lead.pk])).status_code == 405


def test_record_page_status_select_redirects_back(login_as, agent, lead, stages):
    detail = lead.get_absolute_url()
    response = login_as(agent).post(reverse("leads:move", args=[lead.pk]),
                                    {"status": stages[1].pk, "next": detail}, follow=True)
    assert response.redirect_chain[0] == (detail, 302)
    assert f"moved to {stages[1].name}" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == stages[1]


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x"])
def test_move_never_redirects_off_site(login_as, agent, lead, stages, target):
    response = login_as(agent).post(reverse("leads:move", args=[lead.pk]),
                                    {"status": stages[1].pk, "next": target})
    assert response.status_code == 302
    assert response["Location"] == lead.get_absolute_url()


def test_refused_move_from_the_record_page_shows_the_reason(login_as, agent, lead,
                                                            other_pipeline):
    response = login_as(agent).post(
        reverse("leads:move", args=[lead.pk]),
        {"status": other_pipeline.statuses.get().pk, "next": lead.get_absolute_url()},
        follow=True)
    assert "is a status of another pipeline" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status.name == "New"


def test_board_includes_sortable_and_kanban_script(admin_client, stages):
    content = admin_client.get(BOARD).content.decode()
    assert "vendor/sortablejs/Sortable.min.js" in content
    assert "js/kanban.js" in content
    assert "<script>" not in content  # CSP: no inline script
    assert 'data-movable="true"' in content


def test_manager_sees_every_agents_cards(login_as, manager, agent, other_agent, stages):
    LeadFactory(name="A", status=stages[0], assigned_to=agent)
    LeadFactory(name="B", status=stages[0], assigned_to=other_agent)
    LeadFactory(name="C", status=stages[0], assigned_to=None)
    assert sorted(card_names(login_as(manager).get(column_url(stages[0])))) == ["A", "B", "C"]


# --- in the browser --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refused_drop_puts_the_card_back_and_says_why(page, make_user, stages, lost_reason):
    agent = make_user("Sales Agent", username="dragger")
    lead = LeadFactory(name="Dana Stoica", status=stages[0], assigned_to=agent)
    page.goto("/accounts/login/")
    page.fill("#id_username", "dragger")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")
    page.goto(BOARD)
    first, second = (page.locator(f"[data-status='{status.pk}']") for status in stages[:2])
    card = first.locator(".kanban-card", has_text="Dana Stoica")
    card.wait_for()
    expect(first.locator("xpath=..").locator(".kanban-count")).to_have_text("1")

    # Someone marks it lost while the board is open: the drop is refused.
    Lead.objects.filter(pk=lead.pk).update(lost_at=timezone.now(), lost_reason=lost_reason)
    card.drag_to(second)
    expect(page.locator("#kanban-alerts .alert-danger")).to_contain_text("restore it first")
    assert first.locator(".kanban-card", has_text="Dana Stoica").count() == 1
    assert second.locator(".kanban-card").count() == 0
    assert Lead.objects.get(pk=lead.pk).status == stages[0]

    # Restored, the same drop moves it and the column counts follow.
    Lead.objects.filter(pk=lead.pk).update(lost_at=None, lost_reason=None)
    first.locator(".kanban-card", has_text="Dana Stoica").drag_to(second)
    expect(second.locator("xpath=..").locator(".kanban-count")).to_have_text("1")
    expect(first.locator("xpath=..").locator(".kanban-count")).to_have_text("0")
    assert Lead.objects.get(pk=lead.pk).status == stages[1]
    assert page.locator("#kanban-alerts .alert").count() == 0  # the refusal is gone
