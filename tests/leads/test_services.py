"""The lead services: scope, rules and the events they send."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from crmconnect.activity.attachments import attachment_add
from crmconnect.activity.models import Activity, Attachment, Task
from crmconnect.activity.services import task_create
from crmconnect.clients.models import Client
from leads import services
from leads.events import lead_status_changed
from leads.interactions import interaction_log
from leads.models import Lead

from ..factories import LeadFactory, UserFactory


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    lead_status_changed.connect(receiver)
    yield calls
    lead_status_changed.disconnect(receiver)


def test_create_needs_an_email_or_a_phone(agent, stages):
    with pytest.raises(ValidationError) as error:
        services.lead_create(actor=agent, name="Ion Pop", pipeline=stages[0].pipeline,
                             status=stages[0])
    assert "Enter an email or a phone number." in error.value.message_dict["email"]
    assert not Lead.objects.exists()


def test_create_refuses_a_status_of_another_pipeline(agent, stages, other_pipeline):
    with pytest.raises(ValidationError) as error:
        services.lead_create(actor=agent, name="Ion Pop", phone="+40 700 000 001",
                             pipeline=stages[0].pipeline, status=other_pipeline.statuses.get())
    assert "another pipeline" in error.value.message_dict["status"][0]
    assert not Lead.objects.exists()


def test_an_own_scope_creator_gets_the_lead(agent, stages):
    lead = services.lead_create(actor=agent, name="Ion Pop", phone="0700",
                                pipeline=stages[0].pipeline, status=stages[0])
    assert lead.assigned_to == agent
    assert Activity.objects.get(event="lead.created").object_id == lead.pk


@pytest.mark.django_db(transaction=True)
def test_status_change_logs_and_sends_the_event_on_commit(lead, stages, agent, received):
    services.lead_change_status(actor=agent, lead=lead, status=stages[2])
    lead.refresh_from_db()
    assert lead.status == stages[2]
    row = Activity.objects.get(event="lead.status_changed")
    assert row.changes == {"status": [stages[0].name, stages[2].name]}
    assert [(c["old_status"], c["new_status"]) for c in received] == [(stages[0], stages[2])]


def test_status_of_another_pipeline_changes_nothing(lead, agent, other_pipeline, received):
    with pytest.raises(ValidationError):
        services.lead_change_status(actor=agent, lead=lead,
                                    status=other_pipeline.statuses.get())
    lead.refresh_from_db()
    assert lead.status.pipeline != other_pipeline
    assert received == []


def test_another_agents_lead_cannot_be_changed(lead, other_agent, stages):
    with pytest.raises(PermissionDenied):
        services.lead_change_status(actor=other_agent, lead=lead, status=stages[1])


def test_lost_needs_a_reason_and_leaves_the_pipeline_until_restored(lead, agent, lost_reason,
                                                                     stages):
    with pytest.raises(ValidationError):
        services.lead_mark_lost(actor=agent, lead=lead, reason=None)
    services.lead_mark_lost(actor=agent, lead=lead, reason=lost_reason, note="Too expensive")
    assert not Lead.objects.active().filter(pk=lead.pk).exists()
    with pytest.raises(ValidationError):
        services.lead_change_status(actor=agent, lead=lead, status=stages[1])
    services.lead_restore(actor=agent, lead=lead)
    lead.refresh_from_db()
    assert lead.is_active and lead.lost_reason is None
    assert Lead.objects.active().filter(pk=lead.pk).exists()


def test_delete_is_for_administrators(lead, agent, manager, admin_user):
    with pytest.raises(PermissionDenied):
        services.lead_delete(actor=manager, lead=lead)
    services.lead_delete(actor=admin_user, lead=lead)
    assert not Lead.objects.filter(pk=lead.pk).exists()


def test_convert_to_opportunity_copies_the_contact_and_keeps_the_lead(lead, agent,
                                                                      opportunity_status):
    opportunity = services.lead_convert_to_opportunity(
        actor=agent, lead=lead, opportunity_status=opportunity_status, value=10000,
        probability=40)
    lead.refresh_from_db()
    assert opportunity.is_opportunity and opportunity.converted_from == lead
    assert (opportunity.name, opportunity.email, opportunity.company) == (
        lead.name, lead.email, lead.company)
    assert opportunity.weighted_value == 4000
    assert lead.is_active and not lead.is_opportunity
    assert list(Lead.objects.leads()) == [lead]


def test_convert_to_client_creates_the_client_and_its_contact_once(lead, agent):
    client = services.lead_convert_to_client(actor=agent, lead=lead)
    lead.refresh_from_db()
    assert lead.client == client and lead.converted_at is not None
    assert client.name == lead.company and client.owner == agent
    assert client.primary_contact.email == lead.email
    assert Lead.objects.converted().filter(pk=lead.pk).exists()
    with pytest.raises(ValidationError):
        services.lead_convert_to_client(actor=agent, lead=lead)


def test_conversion_to_client_needs_the_right_to_add_clients(stages):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="leads", codename__in=["view_lead", "change_lead"]))
    lead = LeadFactory(status=stages[0], assigned_to=user)
    with pytest.raises(PermissionDenied):
        services.lead_convert_to_client(actor=user, lead=lead)
    assert not Client.objects.exists()


def test_deleting_a_lead_removes_its_tasks_attachments_and_files(
        lead, agent, admin_user, django_capture_on_commit_callbacks):
    task_create(actor=agent, title="Call back", assignee=agent, due_date=lead.created_at.date(),
                record=lead)
    on_lead = attachment_add(actor=agent, record=lead,
                             upload=SimpleUploadedFile("offer.txt", b"offer"))
    call = interaction_log(actor=agent, lead=lead, kind="email", summary="Sent the offer",
                           email_copy=SimpleUploadedFile("copy.txt", b"copy"))
    stored = [on_lead.file.name, *Attachment.objects.exclude(pk=on_lead.pk)
              .values_list("file", flat=True)]
    storage = on_lead.file.storage
    assert call.pk and all(storage.exists(name) for name in stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.lead_delete(actor=admin_user, lead=lead)
    assert not Task.objects.exists()
    assert not Attachment.objects.exists()
    assert not any(storage.exists(name) for name in stored)


def test_weighted_value_rounds_half_up_like_the_list():
    assert Lead(value=Decimal("10.05"), probability=50).weighted_value == Decimal("5.03")
