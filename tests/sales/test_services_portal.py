"""The client's actions in the portal (sales/services/portal.py) and the hook the invoicing
module uses to convert a proposal the client accepted."""

import base64
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crmconnect.activity.models import Notification
from sales import events
from sales.models import Proposal, ProposalComment, ProposalSettings, SalesOrder
from sales.services import portal
from sales.services.orders import sales_order_from_proposal

from .conftest import with_link
from .test_portal import png_data_url
from .test_services_proposals import events_of, listening

Status = Proposal.Status


def accept(proposal, **values):
    return portal.portal_accept(proposal=proposal, **{
        "signer_name": "Ana Pop", "signer_email": "ana@client.example.com",
        "signature": "ana pop", "ip": "203.0.113.5", **values})


def test_open_once_marks_reviewed_logs_the_address_and_tells_both_people(
        sent_proposal, agent, manager, django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(created_by=manager)
    with listening(events.proposal_viewed) as viewed:
        with django_capture_on_commit_callbacks(execute=True):
            opened = portal.portal_open(proposal=proposal, ip="203.0.113.9")
            assert viewed == []
        assert opened.status == Status.REVIEWED and viewed[0]["proposal"].pk == proposal.pk
        with django_capture_on_commit_callbacks(execute=True):
            portal.portal_open(proposal=proposal, ip="203.0.113.9")
    assert len(viewed) == 1
    row = events_of(proposal, "proposal.viewed").get()
    assert row.ip_address == "203.0.113.9" and row.changes == {"status": ["Sent", "Reviewed"]}
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "agent", "manager"]


def test_opening_a_proposal_sent_manually_marks_it_reviewed(proposal):
    with_link(proposal, Status.SENT_MANUALLY)
    assert portal.portal_open(proposal=proposal, ip=None).status == Status.REVIEWED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVISED, Status.ACCEPTED,
                                    Status.DECLINED])
def test_opening_changes_nothing_outside_sent(proposal, status):
    with_link(proposal, status)
    assert portal.portal_open(proposal=proposal, ip=None).status == status
    assert not events_of(proposal, "proposal.viewed").exists()


def test_accept_with_a_typed_name_any_case(sent_proposal, django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    with (listening(events.proposal_accepted) as accepted,
          django_capture_on_commit_callbacks(execute=True)):
        accept(proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED and proposal.signature == "ana pop"
    assert proposal.signed_ip == "203.0.113.5" and proposal.accepted_at is not None
    assert accepted[0]["via_portal"] is True and accepted[0]["actor"] is None
    assert accepted[0]["auto_convert"] is False
    row = events_of(proposal, "proposal.accepted").get()
    assert row.actor is None and row.ip_address == "203.0.113.5"


def test_accept_twice_changes_nothing_the_second_time(sent_proposal,
                                                      django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    with (listening(events.proposal_accepted) as accepted,
          django_capture_on_commit_callbacks(execute=True)):
        accept(proposal)
        accept(proposal, signer_name="Other Person", signature="Other Person")
    proposal.refresh_from_db()
    assert proposal.signer_name == "Ana Pop" and len(accepted) == 1
    assert events_of(proposal, "proposal.accepted").count() == 1


@pytest.mark.parametrize(("values", "message"), [
    ({"signer_name": "  "}, "Type your full name."),
    ({"signature": ""}, "Sign by drawing or typing your name."),
    ({"signature": "Someone Else"}, "must be your name"),
    ({"signature": "data:image/png;base64,not-base64!"}, "could not be read"),
    ({"signature": "data:image/png;base64,R0lGODlhAQABAAAAACw="}, "could not be read"),
])
def test_accept_refuses_a_missing_or_forged_signature(sent_proposal, values, message):
    proposal, _ = sent_proposal
    with pytest.raises(ValidationError, match=message):
        accept(proposal, **values)
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_a_drawn_signature_is_kept_and_an_oversized_one_refused(sent_proposal):
    proposal, _ = sent_proposal
    huge = "data:image/png;base64," + base64.b64encode(
        b"\x89PNG\r\n\x1a\n" + b"0" * portal.MAX_SIGNATURE_BYTES).decode()
    with pytest.raises(ValidationError, match="could not be read"):
        accept(proposal, signature=huge)
    drawing = png_data_url()
    accept(proposal, signature=drawing)
    proposal.refresh_from_db()
    assert proposal.signature == drawing


def test_an_expired_proposal_cannot_be_accepted(sent_proposal):
    proposal, _ = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(
        open_till=timezone.localdate() - datetime.timedelta(days=1))
    proposal.refresh_from_db()
    assert "expired on" in portal.accept_refusal(proposal)
    with pytest.raises(ValidationError, match="expired on"):
        accept(proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_the_last_day_is_still_open(sent_proposal):
    proposal, _ = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(open_till=timezone.localdate())
    proposal.refresh_from_db()
    assert portal.accept_refusal(proposal) is None
    assert accept(proposal).status == Status.ACCEPTED


@pytest.mark.parametrize(("status", "reason"), [
    (Status.DRAFT, "not open"), (Status.REVISED, "not open"), (Status.DECLINED, "not open"),
    (Status.ACCEPTED, "already accepted")])
def test_accept_refusal_reasons(proposal, status, reason):
    with_link(proposal, status)
    assert reason in portal.accept_refusal(proposal)


def test_decline_with_a_reason_once(sent_proposal, django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    with (listening(events.proposal_declined) as declined,
          django_capture_on_commit_callbacks(execute=True)):
        portal.portal_decline(proposal=proposal, reason="  Too expensive ", ip="203.0.113.3")
        portal.portal_decline(proposal=proposal, reason="again", ip="203.0.113.3")
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED and proposal.decline_reason == "Too expensive"
    assert len(declined) == 1 and declined[0]["via_portal"] is True
    assert events_of(proposal, "proposal.declined").get().ip_address == "203.0.113.3"
    with_link(proposal, Status.ACCEPTED)
    with pytest.raises(ValidationError, match="not open for a decision"):
        portal.portal_decline(proposal=proposal, reason="", ip=None)


def test_comment(sent_proposal, agent, django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    with (listening(events.proposal_commented) as commented,
          django_capture_on_commit_callbacks(execute=True)):
        comment = portal.portal_comment(proposal=proposal, name="", body=" Start in May? ",
                                        ip="203.0.113.2")
    assert comment.author_name == proposal.recipient and comment.body == "Start in May?"
    assert comment.from_client and commented[0]["comment"] == comment
    assert Notification.objects.filter(recipient=agent, message__contains="commented").exists()
    with pytest.raises(ValidationError, match="Write your comment"):
        portal.portal_comment(proposal=proposal, name="Ana", body="  ", ip=None)
    Proposal.objects.filter(pk=proposal.pk).update(allow_comments=False)
    with pytest.raises(ValidationError, match="closed"):
        portal.portal_comment(proposal=proposal, name="Ana", body="Hello", ip=None)
    assert ProposalComment.objects.count() == 1


# --- the setting estimate_auto_convert_to_invoice_on_client_accept -----------------------

@pytest.fixture
def auto_convert_receiver():
    """What the invoicing module will connect: convert when the setting asks for it."""
    def convert(sender, proposal, auto_convert, **kwargs):
        if auto_convert:
            sales_order_from_proposal(actor=proposal.assigned_to, proposal=proposal)

    events.proposal_accepted.connect(convert, weak=False)
    yield
    events.proposal_accepted.disconnect(convert)


@pytest.mark.parametrize("setting", [True, False])
def test_a_portal_accept_converts_only_with_the_setting_on(
        client, sent_proposal, setting, auto_convert_receiver,
        django_capture_on_commit_callbacks):
    proposal, token = sent_proposal
    ProposalSettings.objects.update_or_create(
        pk=1, defaults={"estimate_auto_convert_to_invoice_on_client_accept": setting})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/p/{token}/accept", {"signer_name": "Ana Pop",
                                                       "typed_signature": "Ana Pop"})
    assert response.status_code == 302
    order = SalesOrder.objects.filter(proposal=proposal).first()
    assert (order is not None) is setting
    if setting:
        assert order.client == proposal.client and order.total == proposal.total
        assert [line.description for line in order.lines.all()] == ["Audit", "Training"]


def test_a_manual_accept_never_converts_by_itself(agent, sent_proposal, auto_convert_receiver,
                                                  django_capture_on_commit_callbacks):
    from sales.services.proposals import proposal_change_status

    proposal, _ = sent_proposal
    ProposalSettings.objects.update_or_create(
        pk=1, defaults={"estimate_auto_convert_to_invoice_on_client_accept": True})
    with django_capture_on_commit_callbacks(execute=True):
        proposal_change_status(actor=agent, proposal=proposal, status=Status.ACCEPTED)
    assert not SalesOrder.objects.exists()


def test_the_history_names_the_client_for_portal_actions(sent_proposal):
    from crmconnect.activity.models import Activity

    proposal, _ = sent_proposal
    portal.portal_open(proposal=proposal, ip="192.0.2.7")
    row = Activity.objects.get(event="proposal.viewed")
    assert row.actor_label == "Client (online)"
    row.ip_address = None
    assert row.actor_label == "System"
