"""The staff services of proposals (sales/services/proposals.py)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from crmconnect.activity.models import Activity, Notification
from crmconnect.core.portal import token_digest
from crmconnect.staff import roles
from leads.models import LostReason
from sales import events
from sales.models import Proposal, ProposalComment, ProposalSettings
from sales.services import proposals as services

from ..factories import ClientFactory, ContactFactory, LeadFactory, UserFactory, line
from .conftest import with_link

Status = Proposal.Status
TODAY = timezone.localdate


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the calling thread (the email lands in mail.outbox)."""
    from crmconnect.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@contextmanager
def listening(signal):
    """The list of the keyword arguments of each send of `signal` while in the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


def events_of(proposal, event=None):
    rows = Activity.objects.filter(content_type=ContentType.objects.get_for_model(Proposal),
                                   object_id=proposal.pk)
    return rows.filter(event=event) if event else rows


def create(actor, **values):
    return services.proposal_create(actor=actor, lines=values.pop("lines", [line()]),
                                    **{"subject": "Security audit", **values})


# --- create ------------------------------------------------------------------------------

def test_create_fills_the_addressee_dates_agent_and_totals(agent, account):
    ProposalSettings.objects.filter(pk=1).update(default_open_days=14)
    proposal = create(agent, client=account, content='<p onclick="x()">Hi</p><script>x</script>',
                      lines=[line(quantity=Decimal(2), unit_price=Decimal("150.00")),
                             line(unit_price=Decimal("99.99"), vat_rate=Decimal(11))])
    assert proposal.status == Status.DRAFT and proposal.number == f"PRO-{proposal.pk:06d}"
    assert (proposal.recipient_name, proposal.recipient_email) == ("Maria Ionescu",
                                                                   "maria@alfa.example.com")
    assert proposal.open_till == TODAY() + datetime.timedelta(days=14)
    assert proposal.assigned_to == agent and proposal.created_by == agent
    assert proposal.content == "<p>Hi</p>"
    assert (proposal.subtotal, proposal.vat_total, proposal.total) == (
        Decimal("399.99"), Decimal("74.00"), Decimal("473.99"))
    assert [row.net for row in proposal.lines.all()] == [Decimal("300.00"), Decimal("99.99")]
    created = events_of(proposal, "proposal.created").get()
    assert created.actor == agent and created.client == account
    assert "473.99 RON" in created.description


def test_create_for_a_lead_takes_the_leads_contact(agent):
    lead = LeadFactory(name="Ioana Dumitru", email="ioana@parking.example.ro", assigned_to=agent)
    proposal = create(agent, lead=lead)
    assert proposal.client is None and proposal.recipient == "Ioana Dumitru"
    assert proposal.recipient_email == "ioana@parking.example.ro"


def test_create_refusals(agent, account, other_agent):
    with pytest.raises(ValidationError, match="Choose the client"):
        create(agent)
    with pytest.raises(ValidationError, match="cannot quote this client"):
        create(agent, client=ClientFactory(owner=other_agent))
    with pytest.raises(ValidationError, match="cannot quote this lead"):
        create(agent, lead=LeadFactory(assigned_to=other_agent))
    with pytest.raises(ValidationError, match="contact must be one of the client's"):
        create(agent, client=account, contact=ContactFactory())
    with pytest.raises(ValidationError, match="Add at least one line"):
        create(agent, client=account, lines=[])
    with pytest.raises(ValidationError, match="Line 2 needs a quantity above zero"):
        create(agent, client=account, lines=[line(), line(quantity=Decimal(0))])
    assert not Proposal.objects.exists()
    assert not Activity.objects.filter(event="proposal.created").exists()


def test_a_role_without_the_permission_cannot_create(account):
    finance = UserFactory(role=roles.FINANCE)
    with pytest.raises(PermissionDenied):
        create(finance, client=account)


# --- update ------------------------------------------------------------------------------

def test_update_a_draft_logs_old_and_new(agent, proposal):
    updated = services.proposal_update(actor=agent, proposal=proposal, subject="Audit 2026",
                                       lines=[line(unit_price=Decimal("10.00"))])
    assert updated.status == Status.DRAFT and updated.total == Decimal("12.10")
    row = events_of(proposal, "proposal.updated").get()
    assert row.changes["subject"] == [proposal.subject, "Audit 2026"]
    assert row.changes["total"] == ["473.99", "12.10"]


def test_updating_a_sent_proposal_makes_it_revised(agent, sent_proposal):
    proposal, _ = sent_proposal
    updated = services.proposal_update(actor=agent, proposal=proposal, lines=[line()])
    assert updated.status == Status.REVISED
    assert events_of(proposal, "proposal.updated").get().changes["status"] == ["Sent",
                                                                                "Revised"]


def test_update_refusals(agent, other_agent, manager, proposal):
    with pytest.raises(PermissionDenied):  # out of the other agent's scope
        services.proposal_update(actor=other_agent, proposal=proposal, lines=[line()])
    assert services.proposal_update(actor=manager, proposal=proposal, lines=[line()])
    with_link(proposal, Status.ACCEPTED)
    with pytest.raises(ValidationError, match="Accepted cannot be edited"):
        services.proposal_update(actor=agent, proposal=proposal, lines=[line()])


# --- send, links -------------------------------------------------------------------------

def test_send_emails_a_fresh_link_and_tells_listeners_on_commit(
        agent, manager, proposal, eager_tasks, django_capture_on_commit_callbacks):
    with (listening(events.proposal_sent) as sent,
          django_capture_on_commit_callbacks(execute=True) as callbacks):
        link = services.proposal_send(actor=manager, proposal=proposal)
        assert sent == [] and mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 2
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT and proposal.sent_at is not None
    token = link.rsplit("/p/", 1)[1].strip("/")
    assert proposal.token_hash == token_digest(token)
    assert sent[0]["proposal"] == proposal and sent[0]["by_email"] is True
    assert sent[0]["actor"] == manager
    message = mail.outbox[0]
    assert message.to == ["maria@alfa.example.com"] and link in message.body
    assert message.subject == f"Proposal {proposal.number}: {proposal.subject}"
    assert message.reply_to == [agent.email]
    assert events_of(proposal, "proposal.sent").get().changes["status"] == ["Draft", "Sent"]
    assert Notification.objects.filter(recipient=agent,
                                       message__contains="was sent to").exists()


def test_sending_again_replaces_the_link(agent, proposal, eager_tasks):
    first = services.proposal_send(actor=agent, proposal=proposal)
    second = services.proposal_send(actor=agent, proposal=proposal)
    proposal.refresh_from_db()
    assert first != second
    assert proposal.token_hash == token_digest(second.rsplit("/", 2)[1])


def test_send_refusals(agent, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(recipient_email="")
    with pytest.raises(ValidationError, match="no recipient email"):
        services.proposal_send(actor=agent, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        recipient_email="a@b.example.com", open_till=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="expired"):
        services.proposal_send(actor=agent, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_send(actor=UserFactory(role=roles.FINANCE), proposal=proposal)
    with_link(proposal, Status.ACCEPTED)
    Proposal.objects.filter(pk=proposal.pk).update(open_till=TODAY())
    with pytest.raises(ValidationError, match="Accepted cannot do that"):
        services.proposal_send(actor=agent, proposal=proposal)


def test_mark_sent_manually_sends_no_email(agent, proposal,
                                           django_capture_on_commit_callbacks):
    with (listening(events.proposal_sent) as sent,
          django_capture_on_commit_callbacks(execute=True)):
        link = services.proposal_mark_sent_manually(actor=agent, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT_MANUALLY and "/p/" in link
    assert sent[0]["by_email"] is False and mail.outbox == []


def test_regenerate_and_revoke_the_link(agent, proposal, sent_proposal):
    with_link(proposal, Status.DRAFT)
    with pytest.raises(ValidationError, match="draft has no client link"):
        services.proposal_regenerate_link(actor=agent, proposal=proposal)
    with_link(proposal)
    old_hash = Proposal.objects.get(pk=proposal.pk).token_hash
    link = services.proposal_regenerate_link(actor=agent, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.token_hash not in (None, old_hash) and "/p/" in link
    services.proposal_revoke_link(actor=agent, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.token_hash is None and not proposal.has_link
    assert events_of(proposal, "proposal.link_revoked").count() == 1
    services.proposal_revoke_link(actor=agent, proposal=proposal)  # nothing left to revoke
    assert events_of(proposal, "proposal.link_revoked").count() == 1


# --- status, extend, lost, reply, delete -------------------------------------------------

def test_change_status_by_hand(agent, sent_proposal, django_capture_on_commit_callbacks):
    proposal, _ = sent_proposal
    with (listening(events.proposal_accepted) as accepted,
          django_capture_on_commit_callbacks(execute=True)):
        services.proposal_change_status(actor=agent, proposal=proposal, status=Status.ACCEPTED)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED and proposal.accepted_at is not None
    assert accepted[0]["via_portal"] is False and accepted[0]["auto_convert"] is False
    assert events_of(proposal, "proposal.status_changed").get().changes["status"] == [
        "Sent", "Accepted"]
    services.proposal_change_status(actor=agent, proposal=proposal, status=Status.ACCEPTED)
    assert events_of(proposal, "proposal.status_changed").count() == 1  # no change


def test_change_status_refusals(agent, proposal):
    with pytest.raises(ValidationError, match="set by sending"):
        services.proposal_change_status(actor=agent, proposal=proposal, status=Status.SENT)
    with pytest.raises(ValidationError, match="Draft cannot do that"):
        services.proposal_change_status(actor=agent, proposal=proposal,
                                        status=Status.ACCEPTED)
    finance = UserFactory(role=roles.FINANCE)
    with pytest.raises(PermissionDenied):
        services.proposal_change_status(actor=finance, proposal=proposal,
                                        status=Status.DECLINED)


def test_extend(agent, sent_proposal):
    proposal, _ = sent_proposal
    new_date = TODAY() + datetime.timedelta(days=40)
    services.proposal_extend(actor=agent, proposal=proposal, open_till=new_date)
    proposal.refresh_from_db()
    assert proposal.open_till == new_date
    assert events_of(proposal, "proposal.extended").get().changes["open_till"][1] == str(
        new_date)
    with pytest.raises(ValidationError, match="today or later"):
        services.proposal_extend(actor=agent, proposal=proposal,
                                 open_till=TODAY() - datetime.timedelta(days=1))
    with_link(proposal, Status.DECLINED)
    with pytest.raises(ValidationError, match="closed"):
        services.proposal_extend(actor=agent, proposal=proposal, open_till=new_date)


def test_mark_lost_declines_and_marks_the_lead_lost(agent, account):
    lead = LeadFactory(assigned_to=agent)
    proposal = create(agent, client=account, lead=lead)
    with_link(proposal)
    reason = LostReason.objects.first() or LostReason.objects.create(name="Price too high")
    services.proposal_mark_lost(actor=agent, proposal=proposal, reason=reason,
                                note="Chose a cheaper offer")
    proposal.refresh_from_db()
    lead.refresh_from_db()
    assert proposal.status == Status.DECLINED
    assert proposal.decline_reason == "Chose a cheaper offer"
    assert lead.lost_reason == reason and lead.lost_at is not None


def test_reply_is_a_staff_comment(agent, other_agent, sent_proposal):
    proposal, _ = sent_proposal
    comment = services.proposal_reply(actor=agent, proposal=proposal, body="  From May 5.  ")
    assert comment.body == "From May 5." and not comment.from_client
    assert comment.author_name == "Andrei Agent"
    assert events_of(proposal, "proposal.replied").count() == 1
    with pytest.raises(ValidationError, match="Write the reply"):
        services.proposal_reply(actor=agent, proposal=proposal, body="   ")
    with pytest.raises(PermissionDenied):
        services.proposal_reply(actor=other_agent, proposal=proposal, body="Hi")
    assert ProposalComment.objects.count() == 1


def test_delete(agent, manager, proposal):
    with pytest.raises(PermissionDenied):  # agents cannot delete
        services.proposal_delete(actor=agent, proposal=proposal)
    pk = proposal.pk
    services.proposal_delete(actor=manager, proposal=proposal)
    assert not Proposal.objects.filter(pk=pk).exists()
    assert Activity.objects.filter(event="proposal.deleted", object_id=pk).exists()


def test_an_accepted_proposal_is_kept(manager, proposal):
    with_link(proposal, Status.ACCEPTED)
    with pytest.raises(ValidationError, match="kept"):
        services.proposal_delete(actor=manager, proposal=proposal)


def test_querysets_for_expired_and_not_viewed(agent, account):
    from ..factories import ProposalFactory

    old = ProposalFactory(client=account, open_till=TODAY() - datetime.timedelta(days=1))
    closed = ProposalFactory(client=account, open_till=TODAY() - datetime.timedelta(days=1))
    with_link(closed, Status.ACCEPTED)
    fresh = ProposalFactory(client=account)
    assert list(Proposal.objects.expired()) == [old]
    with_link(fresh)
    Proposal.objects.filter(pk=fresh.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=4))
    assert list(Proposal.objects.not_viewed(3)) == [fresh]
    assert list(Proposal.objects.not_viewed(5)) == []
