"""Logging calls, emails (with their copy), SMS, meetings (appointments) and notes on a lead's
Activity tab; the tab's query count; the "Upcoming appointments" dashboard widget."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crmconnect.activity.models import Activity, Attachment, Task
from crmconnect.staff import roles
from leads import interactions as services
from leads.models import Interaction
from leads.views.interactions import activity_tab_context, appointments_widget_context
from tests.activity.test_attachments import PDF, downloaded, upload
from tests.factories import LeadFactory

HTMX = {"HX-Request": "true"}


def log_url(lead):
    return reverse("leads:interaction_add", args=[lead.pk])


def local_input(moment):
    """A datetime as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def in_days(days, hour=10):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                                 microsecond=0)


def dashboard_appointments(response):
    """The meetings the dashboard's "Upcoming appointments" widget shows."""
    widget = next(widget for widget in response.context["widgets"]
                  if widget["title"] == "Upcoming appointments")
    return list(widget["context"]["appointments"])


@pytest.fixture
def agent_client(login_as, agent):
    return login_as(agent)


def test_url_contract():
    assert reverse("leads:interaction_add", args=[4]) == "/admin/leads/4/activities/add"
    assert reverse("leads:interaction_delete", args=[4]) == "/admin/leads/activities/4/delete"


class TestLogEachKind:
    def test_a_call_with_its_duration(self, agent_client, agent, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "call", "call-summary": "Discussed the offer", "call-duration_minutes": "15",
        }, headers=HTMX)
        assert response.status_code == 200
        call = Interaction.objects.get(lead=lead)
        assert (call.kind, call.summary, call.duration_minutes) == (
            "call", "Discussed the offer", 15)
        assert call.created_by == agent
        lead.refresh_from_db()
        assert lead.last_contacted_at == call.occurred_at
        row = Activity.objects.get(event="lead.interaction_logged")
        assert row.record == lead and "call logged (15 min)" in row.description
        html = response.content.decode()
        assert "Call logged." in html and "Discussed the offer" in html and "15 min" in html

    def test_an_email_with_its_copy_stored_and_downloadable(self, agent_client, login_as,
                                                            other_agent, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "email", "email-summary": "Sent the price list",
            "email-email_copy": upload("Re: prices.eml", b"From: me@example.com\r\n\r\nHi"),
        }, headers=HTMX)
        assert response.status_code == 200
        email = Interaction.objects.get(lead=lead, kind="email")
        copy = Attachment.objects.get()
        assert copy.record == email and copy.name == "Re: prices.eml"
        download_url = reverse("activity:attachment", args=[copy.pk])
        assert download_url in response.content.decode()
        lead.refresh_from_db()
        assert lead.last_contacted_at is not None

        download = agent_client.get(download_url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment; filename=")
        assert downloaded(download) == b"From: me@example.com\r\n\r\nHi"
        assert login_as(other_agent).get(download_url).status_code == 404

    def test_an_email_copy_of_a_forbidden_type_saves_nothing(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "email", "email-summary": "Sent it",
            "email-email_copy": upload("virus.exe", b"MZ"),
        }, headers=HTMX)
        assert "“.exe” files cannot be attached" in response.content.decode()
        assert not Interaction.objects.exists() and not Attachment.objects.exists()

    def test_an_sms(self, agent_client, lead):
        agent_client.post(log_url(lead), {"kind": "sms", "sms-summary": "Confirmed by SMS"},
                          headers=HTMX)
        assert Interaction.objects.get(lead=lead).kind == "sms"
        lead.refresh_from_db()
        assert lead.last_contacted_at is not None

    def test_a_note_does_not_count_as_contact(self, agent_client, lead):
        agent_client.post(log_url(lead), {"kind": "note", "note-summary": "Prefers mornings"},
                          headers=HTMX)
        assert Interaction.objects.get(lead=lead).kind == "note"
        lead.refresh_from_db()
        assert lead.last_contacted_at is None

    def test_a_call_in_the_past_is_dated_and_does_not_move_last_contact_back(self, agent, lead):
        recent = services.interaction_log(actor=agent, lead=lead, kind="call", summary="Today")
        services.interaction_log(actor=agent, lead=lead, kind="call", summary="Last week",
                                 occurred_at=timezone.now() - timedelta(days=7))
        lead.refresh_from_db()
        assert lead.last_contacted_at == recent.occurred_at

    def test_a_meeting_is_an_appointment_and_a_task(self, agent_client, login_as, agent,
                                                    manager, lead):
        when = in_days(3)
        response = agent_client.post(log_url(lead), {
            "kind": "meeting", "meeting-meeting_at": local_input(when),
            "meeting-place": "Their office, Cluj",
        }, headers=HTMX)
        assert response.status_code == 200
        meeting = Interaction.objects.get(lead=lead)
        assert meeting.meeting_at == when and meeting.place == "Their office, Cluj"
        task = Task.objects.get()
        assert task.record == lead and task.assignee == agent
        assert task.due_date == when.date()
        assert task.title == f"Meeting: {lead} — Their office, Cluj"
        lead.refresh_from_db()
        assert lead.last_contacted_at is not None

        tasks = agent_client.get("/admin/tasks/list_tasks")
        assert task.title in tasks.content.decode()
        dashboard = agent_client.get("/admin")
        assert dashboard_appointments(dashboard) == [meeting]
        assert 'id="upcoming-appointments"' in dashboard.content.decode()
        assert dashboard_appointments(login_as(manager).get("/admin")) == []

    def test_a_meeting_logged_by_someone_else_is_a_task_of_the_leads_agent(self, manager,
                                                                           agent, lead):
        services.interaction_log(actor=manager, lead=lead, kind="meeting",
                                 meeting_at=in_days(1))
        task = Task.objects.get()
        assert task.assignee == agent and task.title == f"Meeting: {lead}"


class TestInvalidInput:
    def test_a_meeting_without_a_date(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "meeting", "meeting-place": "Somewhere", "meeting-summary": "Demo",
        }, headers=HTMX)
        html = response.content.decode()
        assert "Enter the date and time of the meeting." in html
        assert 'value="Somewhere"' in html  # the user's input is kept
        assert not Interaction.objects.exists() and not Task.objects.exists()

    @pytest.mark.parametrize("kind", ["call", "email", "sms", "note"])
    def test_a_missing_summary(self, agent_client, lead, kind):
        response = agent_client.post(log_url(lead), {"kind": kind, f"{kind}-summary": "  "},
                                     headers=HTMX)
        assert "Write what was said or done." in response.content.decode()
        assert not Interaction.objects.exists()

    def test_a_negative_duration(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "call", "call-summary": "x", "call-duration_minutes": "-5"}, headers=HTMX)
        assert "greater than or equal to 0" in response.content.decode()
        assert not Interaction.objects.exists()

    def test_a_call_in_the_future(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {
            "kind": "call", "call-summary": "x", "call-occurred_at": local_input(in_days(2)),
        }, headers=HTMX)
        assert "This is in the future" in response.content.decode()
        assert not Interaction.objects.exists()

    def test_without_htmx_the_error_is_a_message_on_the_lead_page(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {"kind": "call", "call-summary": ""},
                                     follow=True)
        assert response.redirect_chain[0][0] == f"{lead.get_absolute_url()}#activity"
        assert [str(m) for m in response.context["messages"]] == [
            "Summary: Write what was said or done."]
        assert not Interaction.objects.exists()

    def test_without_htmx_success_redirects_to_the_activity_tab(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {"kind": "note", "note-summary": "ok"})
        assert response.status_code == 302
        assert response["Location"] == f"{lead.get_absolute_url()}#activity"

    def test_an_unknown_kind_is_404(self, agent_client, lead):
        response = agent_client.post(log_url(lead), {"kind": "fax", "fax-summary": "x"})
        assert response.status_code == 404


class TestAccess:
    def test_another_agents_lead_is_404_and_nothing_is_saved(self, login_as, other_agent,
                                                             lead):
        response = login_as(other_agent).post(log_url(lead), {
            "kind": "call", "call-summary": "Sneaky"}, headers=HTMX)
        assert response.status_code == 404
        assert not Interaction.objects.exists()

    def test_a_role_without_change_permission_is_403(self, login_as, make_user, lead):
        response = login_as(make_user(roles.FINANCE)).post(log_url(lead), {
            "kind": "note", "note-summary": "x"})
        assert response.status_code == 403
        assert not Interaction.objects.exists()

    def test_a_get_is_refused(self, agent_client, lead):
        assert agent_client.get(log_url(lead)).status_code == 405

    def test_the_service_refuses_a_lead_out_of_scope(self, other_agent, lead):
        with pytest.raises(PermissionDenied):
            services.interaction_log(actor=other_agent, lead=lead, kind="note", summary="x")
        assert not Interaction.objects.exists()

    def test_a_manager_logs_on_any_lead(self, login_as, manager, lead):
        login_as(manager).post(log_url(lead), {"kind": "note", "note-summary": "Checked"},
                               headers=HTMX)
        assert Interaction.objects.filter(lead=lead, created_by=manager).exists()


class TestDelete:
    @pytest.fixture
    def email(self, agent, lead):
        return services.interaction_log(actor=agent, lead=lead, kind="email", summary="Offer",
                                        email_copy=upload("offer.pdf", PDF))

    def url(self, interaction):
        return reverse("leads:interaction_delete", args=[interaction.pk])

    def test_the_author_removes_it_with_its_copy(self, agent_client, email,
                                                 django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = agent_client.post(self.url(email))
        assert response.status_code == 302
        assert not Interaction.objects.exists() and not Attachment.objects.exists()
        assert Activity.objects.filter(event="lead.interaction_deleted").exists()

    def test_someone_else_without_delete_permission_is_403(self, login_as, manager, email):
        assert login_as(manager).post(self.url(email)).status_code == 403
        assert Interaction.objects.exists()

    def test_another_agent_is_404(self, login_as, other_agent, email):
        assert login_as(other_agent).post(self.url(email)).status_code == 404
        assert Interaction.objects.exists()

    def test_an_administrator_may(self, admin_client, email):
        assert admin_client.post(self.url(email)).status_code == 302
        assert not Interaction.objects.exists()


class TestActivityTab:
    def render(self, agent, lead):
        request = RequestFactory().get("/")
        request.user = agent
        with CaptureQueriesContext(connection) as queries:
            html = render_to_string("leads/_activity_tab.html",
                                    activity_tab_context(request, lead), request=request)
        return html, len(queries)

    def add_interactions(self, agent, lead, count=3):
        for number in range(count):
            services.interaction_log(actor=agent, lead=lead, kind="email",
                                     summary=f"Email {number}",
                                     email_copy=upload(f"copy{number}.pdf", PDF))
            services.lead_attachment_add(actor=agent, lead=lead,
                                         upload=upload(f"file{number}.pdf", PDF))
            services.interaction_log(actor=agent, lead=lead, kind="meeting",
                                     meeting_at=in_days(number + 1), place=f"Room {number}")

    def test_lists_interactions_files_and_forms(self, agent, lead):
        self.add_interactions(agent, lead, count=1)
        html, _ = self.render(agent, lead)
        for text in ("Log activity", "Email 0", "copy0.pdf", "file0.pdf", "Room 0",
                     'name="call-duration_minutes"', 'name="email-email_copy"',
                     'accept=".pdf,', "Set follow-up"):
            assert text in html

    def test_constant_query_count(self, agent, lead):
        self.render(agent, lead)  # warm the permission and content type caches
        _, before = self.render(agent, lead)
        self.add_interactions(agent, lead)
        html, after = self.render(agent, lead)
        assert "Email 2" in html and "file2.pdf" in html
        assert after == before

    def test_constant_query_count_of_the_lead_page(self, assert_constant_queries, agent, lead):
        assert_constant_queries(lead.get_absolute_url(),
                                lambda: self.add_interactions(agent, lead), user=agent)

    def test_a_user_who_may_not_change_sees_no_forms(self, make_user, agent, lead):
        services.interaction_log(actor=agent, lead=lead, kind="note", summary="Seen")
        reader = make_user()
        reader.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="leads", codename__in=["view_lead", "view_all_lead"]))
        html, _ = self.render(type(reader).objects.get(pk=reader.pk), lead)
        assert "Seen" in html and "Log activity" not in html and "Upload" not in html


class TestAppointmentsWidget:
    def appointments(self, user):
        request = RequestFactory().get("/admin")
        request.user = user
        return appointments_widget_context(request)["appointments"]

    def test_the_users_upcoming_meetings_soonest_first(self, agent, other_agent, manager,
                                                       stages, lead):
        later = services.interaction_log(actor=agent, lead=lead, kind="meeting",
                                         meeting_at=in_days(5))
        sooner = services.interaction_log(actor=manager, lead=lead, kind="meeting",
                                          meeting_at=in_days(1))
        services.interaction_log(actor=agent, lead=lead, kind="meeting",
                                 meeting_at=timezone.now() - timedelta(hours=2))
        others = LeadFactory(status=stages[0], assigned_to=other_agent)
        services.interaction_log(actor=other_agent, lead=others, kind="meeting",
                                 meeting_at=in_days(2))
        assert self.appointments(agent) == [sooner, later]  # logged by them or on their lead
        assert self.appointments(manager) == [sooner]  # logged by the manager
        assert len(self.appointments(other_agent)) == 1

    def test_at_most_ten(self, agent, lead):
        for day in range(12):
            services.interaction_log(actor=agent, lead=lead, kind="meeting",
                                     meeting_at=in_days(day + 1))
        assert len(self.appointments(agent)) == 10

    def test_template(self, agent, lead):
        services.interaction_log(actor=agent, lead=lead, kind="meeting", meeting_at=in_days(1),
                                 place="HQ")
        html = render_to_string("leads/widgets/appointments.html",
                                {"appointments": self.appointments(agent)})
        assert "HQ" in html and str(lead) in html
        empty = render_to_string("leads/widgets/appointments.html", {"appointments": []})
        assert "No upcoming appointments." in empty
