"""The generic attachment service (size, type and content checks, storage, log) and the
download page, which serves a file only to someone who can see the record it belongs to."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crmconnect.activity import attachments
from crmconnect.activity.models import Activity, Attachment
from tests.factories import ClientFactory, TeamFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 16


def upload(name="offer.pdf", content=PDF, content_type="application/octet-stream"):
    """An uploaded file as a browser sends it (its claimed type is not trusted)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def downloaded(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def owned_client(agent):
    return ClientFactory(owner=agent)


def test_url_contract():
    assert reverse("activity:attachment", args=[7]) == "/admin/attachments/7"


class TestValidation:
    def test_a_file_over_the_limit_is_refused_with_its_size(self, settings):
        settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
        big = upload(content=PDF + b"0" * (12 * 1024 * 1024))
        with pytest.raises(ValidationError) as refused:
            attachments.attachment_validate(big)
        assert refused.value.messages == ["The file is 12 MB; the limit is 10 MB."]

    def test_a_disallowed_extension_names_the_allowed_types(self):
        with pytest.raises(ValidationError) as refused:
            attachments.attachment_validate(upload("setup.exe", b"MZ\x90\x00"))
        message = refused.value.messages[0]
        assert "“.exe” files cannot be attached" in message
        assert "pdf" in message and "docx" in message and "png" in message

    @pytest.mark.parametrize("name", ["photo.png", "scan.PDF", "logo.gif", "picture.jpg"])
    def test_an_image_or_pdf_must_really_be_one(self, name):
        with pytest.raises(ValidationError, match="content does not match its type"):
            attachments.attachment_validate(upload(name, b"<html><script>x</script></html>"))

    @pytest.mark.parametrize("name,content", [
        ("offer.pdf", PDF), ("chart.png", PNG), ("photo.jpeg", b"\xff\xd8\xff\xe0JFIF"),
        ("anim.gif", b"GIF89a\x01\x00"), ("notes.txt", b"plain words"),
        ("mail.eml", b"From: a@example.com\r\nSubject: hi\r\n\r\nbody"),
    ])
    def test_genuine_files_pass(self, name, content):
        attachments.attachment_validate(upload(name, content))

    def test_an_empty_file_is_refused(self):
        with pytest.raises(ValidationError, match="empty"):
            attachments.attachment_validate(upload("empty.txt", b""))


class TestAttachmentAdd:
    def test_stores_the_file_under_a_random_name_and_logs_it(self, agent, owned_client):
        attachment = attachments.attachment_add(actor=agent, record=owned_client,
                                                upload=upload("../../etc/Offer 2025.pdf"))
        assert attachment.name == "Offer 2025.pdf"
        assert attachment.record == owned_client and attachment.client == owned_client
        assert attachment.size == len(PDF) and attachment.mime_type == "application/pdf"
        assert attachment.uploaded_by == agent
        assert attachment.file.name.startswith("attachments/")
        assert "Offer" not in attachment.file.name and ".." not in attachment.file.name
        assert default_storage.open(attachment.file.name).read() == PDF
        row = Activity.objects.get(event="attachment.added")
        assert row.record == owned_client and "Offer 2025.pdf" in row.description

    def test_a_refused_file_stores_nothing(self, agent, owned_client, settings):
        settings.ATTACHMENT_MAX_BYTES = 10
        with pytest.raises(ValidationError):
            attachments.attachment_add(actor=agent, record=owned_client, upload=upload())
        assert not Attachment.objects.exists()
        assert not Activity.objects.filter(event="attachment.added").exists()

    def test_delete_removes_the_row_and_the_file(self, agent, owned_client,
                                                 django_capture_on_commit_callbacks):
        attachment = attachments.attachment_add(actor=agent, record=owned_client,
                                                upload=upload())
        stored = attachment.file.name
        with django_capture_on_commit_callbacks(execute=True):
            attachments.attachment_delete(actor=agent, attachment=attachment)
        assert not Attachment.objects.exists()
        assert not default_storage.exists(stored)
        assert Activity.objects.get(event="attachment.deleted").changes == {
            "file": ["offer.pdf", None]}


class TestDownload:
    @pytest.fixture
    def pdf(self, agent, owned_client):
        return attachments.attachment_add(actor=agent, record=owned_client,
                                          upload=upload("Offer.pdf"))

    def test_someone_who_sees_the_record_downloads_it(self, login_as, agent, pdf):
        response = login_as(agent).get(reverse("activity:attachment", args=[pdf.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="Offer.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert downloaded(response) == PDF

    def test_another_agent_gets_404(self, login_as, other_agent, pdf):
        response = login_as(other_agent).get(reverse("activity:attachment", args=[pdf.pk]))
        assert response.status_code == 404

    def test_a_manager_with_all_scope_may(self, login_as, manager, pdf):
        response = login_as(manager).get(reverse("activity:attachment", args=[pdf.pk]))
        assert response.status_code == 200

    def test_anything_but_pdf_and_images_is_served_as_opaque_bytes(self, login_as, agent,
                                                                   owned_client):
        page = attachments.attachment_add(actor=agent, record=owned_client,
                                          upload=upload("page.txt", b"<html>hello</html>"))
        response = login_as(agent).get(reverse("activity:attachment", args=[page.pk]))
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == 'attachment; filename="page.txt"'

    def test_a_record_without_scope_is_for_superusers_only(self, login_as, admin_user, agent,
                                                           manager):
        team_file = attachments.attachment_add(actor=admin_user, record=TeamFactory(),
                                               upload=upload("org.pdf"))
        url = reverse("activity:attachment", args=[team_file.pk])
        assert login_as(manager).get(url).status_code == 404
        admin_user.is_superuser = True
        admin_user.save()
        assert login_as(admin_user).get(url).status_code == 200

    def test_a_post_is_refused(self, login_as, agent, pdf):
        response = login_as(agent).post(reverse("activity:attachment", args=[pdf.pk]))
        assert response.status_code == 405

    def test_an_unknown_file_is_404(self, login_as, agent, db):
        assert login_as(agent).get(reverse("activity:attachment", args=[999])).status_code == 404
