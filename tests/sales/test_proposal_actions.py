"""Every action of the proposal page: POST only, one service each, the outcome as a message;
conversion to a sales order, files, history, the PDF and the client preview."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crmconnect.activity.models import Activity, Attachment
from leads.models import LostReason
from sales.models import Proposal, ProposalComment, SalesOrder

from ..factories import LeadFactory, ProposalFactory, line
from .conftest import with_link

Status = Proposal.Status
POST_ACTIONS = ["send", "mark-sent", "status", "extend", "lost", "reply", "link", "revoke-link",
                "delete", "convert/sales-order", "attachments/add"]


def url(proposal, action=""):
    return f"/admin/proposals/{proposal.pk}" + (f"/{action}" if action else "")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def accepted(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize("action", POST_ACTIONS)
def test_actions_answer_405_to_get(login_as, manager, proposal, action):
    assert login_as(manager).get(url(proposal, action)).status_code == 405
    assert login_as(manager).get("/admin/proposals/attachments/1/delete").status_code == 405


@pytest.mark.parametrize("action", POST_ACTIONS)
def test_actions_on_another_agents_proposal_are_404(login_as, other_agent, proposal, action):
    assert login_as(other_agent).post(url(proposal, action)).status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_send_shows_the_client_link_once(login_as, agent, proposal,
                                         django_capture_on_commit_callbacks):
    client = login_as(agent)
    with django_capture_on_commit_callbacks():
        response = client.post(url(proposal, "send"), follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT and proposal.has_link
    [message] = messages_of(response)
    assert message.startswith("Sent to maria@alfa.example.com. Client link: http")
    link = message.split("Client link: ")[1].split(" ")[0]
    assert client.get(url(proposal)).content.decode().count(link) == 0  # shown only once
    assert Activity.objects.filter(event="proposal.sent", object_id=proposal.pk).exists()


def test_send_refuses_without_an_email(login_as, agent, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(recipient_email="")
    response = login_as(agent).post(url(proposal, "send"), follow=True)
    assert "no recipient email" in " ".join(messages_of(response))
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_mark_as_sent(login_as, agent, proposal):
    response = login_as(agent).post(url(proposal, "mark-sent"), follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT_MANUALLY
    assert "Client link: http" in " ".join(messages_of(response))


def test_change_status_offers_only_possible_changes(login_as, agent, proposal):
    with_link(proposal)
    client = login_as(agent)
    choices = client.get(url(proposal)).context["status_form"].fields["status"].choices
    assert [value for value, _ in choices] == [3, 2, 5, 6]
    client.post(url(proposal, "status"), {"status": 2, "reason": "Budget cut"})
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED and proposal.decline_reason == "Budget cut"
    response = client.post(url(proposal, "status"), {"status": 5}, follow=True)
    assert "Nothing changed" in " ".join(messages_of(response))
    client.post(url(proposal, "status"), {"status": 3})
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED


def test_extend_open_till(login_as, agent, proposal):
    new_date = timezone.localdate() + datetime.timedelta(days=40)
    client = login_as(agent)
    client.post(url(proposal, "extend"), {"open_till": new_date.isoformat()})
    proposal.refresh_from_db()
    assert proposal.open_till == new_date
    response = client.post(url(proposal, "extend"), {"open_till": "2020-01-01"}, follow=True)
    assert "today or later" in " ".join(messages_of(response))


def test_mark_lost_declines_and_loses_the_lead(login_as, agent, proposal):
    lead = LeadFactory(assigned_to=agent)
    Proposal.objects.filter(pk=proposal.pk).update(
        lead=lead, open_till=timezone.localdate() - datetime.timedelta(days=2))
    with_link(proposal)
    reason = LostReason.objects.first() or LostReason.objects.create(name="Price too high")
    client = login_as(agent)
    assert "lost-panel" in client.get(url(proposal)).content.decode()
    response = client.post(url(proposal, "lost"), {"reason": reason.pk, "note": "Too late"},
                           follow=True)
    proposal.refresh_from_db()
    lead.refresh_from_db()
    assert proposal.status == Status.DECLINED and lead.is_lost and lead.lost_reason == reason
    assert "its lead marked lost" in " ".join(messages_of(response))


def test_reply_in_the_discussion(login_as, agent, proposal):
    ProposalComment.objects.create(proposal=proposal, author_name="Maria",
                                   body="Can you do 10 % off?")
    client = login_as(agent)
    response = client.post(url(proposal, "reply"), {"body": "Yes, from 5 days."})
    assert response["Location"].endswith("#discussion")
    html = client.get(url(proposal)).content.decode()
    assert "Can you do 10 % off?" in html and "Yes, from 5 days." in html
    assert ProposalComment.objects.get(author=agent).from_client is False
    empty = client.post(url(proposal, "reply"), {"body": " "}, follow=True)
    assert "Write the reply." in " ".join(messages_of(empty))


def test_new_link_and_revoke(login_as, agent, proposal):
    client = login_as(agent)
    refused = client.post(url(proposal, "link"), follow=True)
    assert "draft has no client link" in " ".join(messages_of(refused))
    old_token = with_link(proposal)
    assert client.get(f"/p/{old_token}/").status_code == 200
    response = client.post(url(proposal, "link"), follow=True)
    new_link = messages_of(response)[0].split("Client link: ")[1].split(" ")[0]
    assert client.get(f"/p/{old_token}/").status_code == 404
    assert client.get(new_link.split("testserver")[-1]).status_code == 200
    client.post(url(proposal, "revoke-link"))
    proposal.refresh_from_db()
    assert not proposal.has_link


def test_delete_needs_the_permission_and_keeps_accepted(login_as, agent, manager, proposal):
    assert login_as(agent).post(url(proposal, "delete")).status_code == 403
    other = ProposalFactory(assigned_to=agent)
    accepted(other)
    client = login_as(manager)
    refused = client.post(url(other, "delete"), follow=True)
    assert "is kept" in " ".join(messages_of(refused))
    response = client.post(url(proposal, "delete"))
    assert response["Location"] == "/admin/proposals"
    assert not Proposal.objects.filter(pk=proposal.pk).exists()


def test_convert_to_sales_order(login_as, agent, account):
    proposal = ProposalFactory(client=account, assigned_to=agent, discount_percent=Decimal(5),
                               lines=[line(description="Audit", unit_price=Decimal("150.00"),
                                           quantity=Decimal(2)),
                                      line(description="Training", vat_rate=Decimal(11))])
    accepted(proposal)
    client = login_as(agent)
    response = client.post(url(proposal, "convert/sales-order"))
    order = SalesOrder.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert order.proposal == proposal and order.client == account
    assert [(row.description, row.quantity, row.unit_price, row.vat_rate)
            for row in order.lines.all()] == [
        (row.description, row.quantity, row.unit_price, row.vat_rate)
        for row in proposal.lines.all()]
    assert (order.subtotal, order.vat_total, order.total) == (
        proposal.subtotal, proposal.vat_total, proposal.total)
    page = client.get(url(proposal)).content.decode()
    assert f'href="{order.get_absolute_url()}"' in page and "Convert to Sales Order" not in page
    again = client.post(url(proposal, "convert/sales-order"), follow=True)
    assert f"already sales order {order.number}" in " ".join(messages_of(again))
    assert SalesOrder.objects.count() == 1


def test_a_draft_does_not_convert(login_as, agent, proposal):
    response = login_as(agent).post(url(proposal, "convert/sales-order"), follow=True)
    assert "Only an accepted proposal" in " ".join(messages_of(response))
    assert not SalesOrder.objects.exists()


def test_attach_and_remove_a_file(login_as, agent, manager, proposal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login_as(agent)
    upload = SimpleUploadedFile("offer.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url(proposal, "attachments/add"), {"attachment-file": upload})
    assert response["Location"].endswith("#attachments")
    attachment = Attachment.objects.get()
    assert attachment.record == proposal and attachment.client == proposal.client
    html = client.get(url(proposal)).content.decode()
    assert "offer.pdf" in html and f"/admin/proposals/attachments/{attachment.pk}/delete" in html
    fake = SimpleUploadedFile("evil.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post(url(proposal, "attachments/add"), {"attachment-file": fake},
                          follow=True)
    assert "not a real .pdf file" in " ".join(messages_of(refused))
    client.post(f"/admin/proposals/attachments/{attachment.pk}/delete")
    assert not Attachment.objects.exists()
    assert Activity.objects.filter(event="attachment.deleted", object_id=proposal.pk).exists()


def test_history_lists_the_proposals_activity(login_as, agent, proposal):
    client = login_as(agent)
    client.post(url(proposal, "mark-sent"))
    rows = client.get(url(proposal)).context["history_rows"]
    assert [row.event for row in rows] == ["proposal.sent_manually"]


def test_pdf_download(login_as, agent, proposal):
    response = login_as(agent).get(url(proposal, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="{proposal.number}.pdf"'


def test_preview_shows_the_client_page_without_marking_it_viewed(login_as, agent, proposal):
    with_link(proposal)
    response = login_as(agent).get(url(proposal, "preview"))
    html = response.content.decode()
    assert response.status_code == 200 and "Preview: this is what the client sees" in html
    assert "<fieldset disabled>" in html and proposal.subject in html
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT and proposal.viewed_at is None
