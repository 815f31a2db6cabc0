from django.urls import reverse

from crmconnect.activity.models import Notification
from crmconnect.activity.services import notify

LIST_URL = "/admin/notifications"


def test_url_contract():
    assert reverse("activity:notifications") == LIST_URL
    assert reverse("activity:notification_read", args=[4]) == "/admin/notifications/4/read"
    assert reverse("activity:notifications_read_all") == "/admin/notifications/read-all"


def test_list_shows_only_own_newest_first(login_as, agent, other_agent):
    notify(recipient=agent, message="first for agent")
    notify(recipient=agent, message="second for agent")
    notify(recipient=other_agent, message="for the other agent")
    response = login_as(agent).get(LIST_URL)
    assert response.status_code == 200
    assert [n.message for n in response.context["page_obj"]] == [
        "second for agent", "first for agent"]
    assert "for the other agent" not in response.text
    assert response.text.count("notification-unread") == 2
    assert "Mark all read" in response.text


def test_empty_state(login_as, agent):
    response = login_as(agent).get(LIST_URL)
    assert "No notifications yet" in response.text
    assert "Mark all read" not in response.text


def test_bell_shows_unread_count(login_as, agent):
    for n in range(3):
        notify(recipient=agent, message=f"n{n}")
    Notification.objects.filter(message="n0").update(read_at="2025-01-01T00:00Z")
    response = login_as(agent).get("/admin")
    assert response.status_code == 200
    assert 'notification-count">2</span>' in response.text


def test_no_badge_without_unread(login_as, agent):
    assert "notification-count" not in login_as(agent).get("/admin").text


def test_mark_read_redirects_to_the_notification_url(login_as, agent):
    notification = notify(recipient=agent, message="task", url="/admin/tasks/list_tasks")
    client = login_as(agent)
    url = f"/admin/notifications/{notification.pk}/read"
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/admin/tasks/list_tasks"
    notification.refresh_from_db()
    assert notification.is_read


def test_mark_read_never_redirects_off_site(login_as, agent):
    client = login_as(agent)
    for url in ("https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)",
                "admin/relative"):
        notification = notify(recipient=agent, message="odd", url=url)
        response = client.post(f"/admin/notifications/{notification.pk}/read")
        assert response["Location"] == LIST_URL, url


def test_someone_elses_notification_is_404(login_as, agent, other_agent):
    notification = notify(recipient=other_agent, message="private")
    response = login_as(agent).post(f"/admin/notifications/{notification.pk}/read")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_read_all_marks_only_own(login_as, agent, other_agent):
    for n in range(3):
        notify(recipient=agent, message=f"n{n}")
    notify(recipient=other_agent, message="theirs")
    client = login_as(agent)
    assert client.get("/admin/notifications/read-all").status_code == 405
    response = client.post("/admin/notifications/read-all", follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "3 notifications marked read." in response.text
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other_agent).read_at is None
    assert "notification-count" not in response.text


def test_query_count_is_constant(assert_constant_queries, agent, other_agent):
    def add_rows():
        for n in range(5):
            notify(recipient=agent, actor=other_agent, message=f"from other {n}")
            notify(recipient=agent, message=f"system {n}")

    add_rows()
    assert_constant_queries(LIST_URL, add_rows, user=agent)
