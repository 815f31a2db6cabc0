"""Files on a lead's Activity tab: upload within the size and type limits, download only within
scope, delete by the uploader or an administrator."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from crmconnect.activity.models import Activity, Attachment
from crmconnect.staff import roles
from leads import interactions as services
from tests.activity.test_attachments import PDF, PNG, downloaded, upload

HTMX = {"HX-Request": "true"}


def add_url(lead):
    return reverse("leads:attachment_add", args=[lead.pk])


def delete_url(attachment):
    return reverse("leads:attachment_delete", args=[attachment.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def agent_client(login_as, agent):
    return login_as(agent)


@pytest.fixture
def offer(agent, lead):
    return services.lead_attachment_add(actor=agent, lead=lead, upload=upload("Offer.pdf", PDF))


def test_url_contract():
    assert reverse("leads:attachment_add", args=[3]) == "/admin/leads/3/attachments/add"
    assert reverse("leads:attachment_delete", args=[3]) == "/admin/leads/attachments/3/delete"


class TestUpload:
    def test_a_file_is_attached_to_the_lead(self, agent_client, agent, lead):
        response = agent_client.post(add_url(lead), {"attachment-file": upload("chart.png", PNG)},
                                     headers=HTMX)
        assert response.status_code == 200
        attachment = Attachment.objects.get()
        assert attachment.record == lead and attachment.uploaded_by == agent
        assert attachment.mime_type == "image/png"
        html = response.content.decode()
        assert "File “chart.png” attached." in html
        assert reverse("activity:attachment", args=[attachment.pk]) in html
        assert Activity.objects.get(event="attachment.added").record == lead

    def test_without_htmx_it_redirects_to_the_activity_tab(self, agent_client, lead):
        response = agent_client.post(add_url(lead), {"attachment-file": upload()}, follow=True)
        assert response.redirect_chain[0][0] == f"{lead.get_absolute_url()}#activity"
        assert messages_of(response) == ["File “offer.pdf” attached."]
        assert "offer.pdf" in response.content.decode()

    def test_an_oversized_file_shows_the_limit_and_stores_nothing(self, agent_client, lead,
                                                                 settings):
        settings.ATTACHMENT_MAX_BYTES = 1024
        big = upload("big.pdf", PDF + b"0" * 3000)
        response = agent_client.post(add_url(lead), {"attachment-file": big}, follow=True)
        assert messages_of(response) == ["File: The file is 3 KB; the limit is 1 KB."]
        assert not Attachment.objects.exists()
        assert not Activity.objects.filter(event="attachment.added").exists()

    def test_the_htmx_tab_shows_the_error_on_the_field(self, agent_client, lead, settings):
        settings.ATTACHMENT_MAX_BYTES = 1024
        response = agent_client.post(add_url(lead), {
            "attachment-file": upload("big.pdf", PDF + b"0" * 3000)}, headers=HTMX)
        html = response.content.decode()
        assert "The file is 3 KB; the limit is 1 KB." in html and "is-invalid" in html
        assert not Attachment.objects.exists()

    def test_a_disallowed_type_is_refused(self, agent_client, lead):
        response = agent_client.post(add_url(lead), {
            "attachment-file": upload("tool.exe", b"MZ\x90\x00")}, follow=True)
        [message] = messages_of(response)
        assert "“.exe” files cannot be attached. Allowed types: pdf" in message
        assert not Attachment.objects.exists()

    def test_a_png_that_is_not_a_png_is_refused(self, agent_client, lead):
        response = agent_client.post(add_url(lead), {
            "attachment-file": upload("photo.png", b"<svg onload=alert(1)>")}, follow=True)
        [message] = messages_of(response)
        assert "is not a real .png file" in message
        assert not Attachment.objects.exists()

    def test_no_file_chosen(self, agent_client, lead):
        response = agent_client.post(add_url(lead), {}, headers=HTMX)
        assert "Choose a file to upload." in response.content.decode()

    def test_the_input_accepts_only_the_allowed_types(self, agent_client, lead):
        html = agent_client.get(lead.get_absolute_url()).content.decode()
        assert 'name="attachment-file"' in html and 'accept=".pdf,.doc,.docx,' in html

    def test_another_agents_lead_is_404_and_nothing_is_stored(self, login_as, other_agent,
                                                              lead):
        response = login_as(other_agent).post(add_url(lead), {"attachment-file": upload()})
        assert response.status_code == 404
        assert not Attachment.objects.exists()

    def test_a_role_without_change_permission_is_403(self, login_as, make_user, lead):
        response = login_as(make_user(roles.FINANCE)).post(add_url(lead),
                                                           {"attachment-file": upload()})
        assert response.status_code == 403


class TestDownload:
    def test_the_owner_downloads_it(self, agent_client, offer):
        response = agent_client.get(reverse("activity:attachment", args=[offer.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="Offer.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert downloaded(response) == PDF

    def test_another_agent_gets_404(self, login_as, other_agent, offer):
        url = reverse("activity:attachment", args=[offer.pk])
        assert login_as(other_agent).get(url).status_code == 404

    def test_a_manager_downloads_it(self, login_as, manager, offer):
        url = reverse("activity:attachment", args=[offer.pk])
        assert login_as(manager).get(url).status_code == 200

    def test_after_reassignment_the_previous_agent_loses_access(self, agent_client, other_agent,
                                                                lead, offer):
        lead.assigned_to = other_agent
        lead.save()
        url = reverse("activity:attachment", args=[offer.pk])
        assert agent_client.get(url).status_code == 404


class TestDelete:
    def test_the_uploader_deletes_it(self, agent_client, offer,
                                     django_capture_on_commit_callbacks):
        stored = offer.file.name
        with django_capture_on_commit_callbacks(execute=True):
            response = agent_client.post(delete_url(offer), follow=True)
        assert messages_of(response) == ["File “Offer.pdf” removed."]
        assert not Attachment.objects.exists() and not default_storage.exists(stored)
        assert Activity.objects.get(event="attachment.deleted").record.pk == offer.object_id

    def test_an_email_copy_can_be_deleted_too(self, agent_client, agent, lead):
        email = services.interaction_log(actor=agent, lead=lead, kind="email", summary="Sent",
                                         email_copy=upload("copy.pdf", PDF))
        copy = Attachment.objects.get(object_id=email.pk)
        assert agent_client.post(delete_url(copy)).status_code == 302
        assert not Attachment.objects.exists()

    def test_another_agent_gets_404(self, login_as, other_agent, offer):
        assert login_as(other_agent).post(delete_url(offer)).status_code == 404
        assert Attachment.objects.exists()

    def test_someone_else_who_sees_the_lead_but_did_not_upload_it_is_403(self, login_as,
                                                                         manager, offer):
        assert login_as(manager).post(delete_url(offer)).status_code == 403
        assert Attachment.objects.exists()

    def test_an_administrator_may(self, admin_client, offer):
        assert admin_client.post(delete_url(offer)).status_code == 302
        assert not Attachment.objects.exists()

    def test_a_get_is_405(self, agent_client, offer):
        assert agent_client.get(delete_url(offer)).status_code == 405
