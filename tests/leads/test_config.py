"""The leads configuration pages: pipelines, statuses, sources, lost reasons, opportunity
statuses and custom fields."""

import pytest
from django.contrib.auth.models import Group, Permission

from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from leads.models import (
    CustomField,
    LeadSource,
    LeadStatus,
    LostReason,
    OpportunityStatus,
    Pipeline,
)

from ..factories import LeadFactory, LeadStatusFactory, PipelineFactory

LISTS = ["/admin/leads/pipelines", "/admin/leads/statuses", "/admin/leads/sources",
         "/admin/leads/lost-reasons", "/admin/opportunities/statuses",
         "/admin/leads/custom-fields"]


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("url", LISTS)
def test_every_list_and_add_form_opens_for_an_administrator(admin_client, pipeline, url):
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(f"{url}/add").status_code == 200


@pytest.mark.parametrize("url", LISTS)
def test_agents_see_the_lists_but_cannot_change_them(login_as, agent, url):
    client = login_as(agent)
    page = client.get(url)
    assert page.status_code == 200
    assert f'href="{url}/add"' not in page.content.decode()
    assert client.get(f"{url}/add").status_code == 403


@pytest.mark.parametrize("url", LISTS)
def test_a_user_without_a_role_is_refused(login_as, make_user, url):
    assert login_as(make_user()).get(url).status_code == 403


@pytest.mark.parametrize("url", LISTS)
def test_delete_is_a_post(admin_client, pipeline, url):
    assert admin_client.get(f"{url}/1/delete").status_code == 405


def test_the_seeded_defaults_are_listed(admin_client, pipeline):
    page = admin_client.get("/admin/leads/statuses").content.decode()
    for name in ["New", "Contacted", "Qualified", "Demo Scheduled", "Proposal Sent"]:
        assert name in page
    assert 'fill="#0d6efd"' in page  # the colour swatch, without an inline style
    assert "Won by competitor" in admin_client.get("/admin/leads/lost-reasons").content.decode()
    assert "Referral" in admin_client.get("/admin/leads/sources").content.decode()


# --- pipelines ---------------------------------------------------------------------------

def test_add_a_pipeline_and_make_it_the_default(admin_client, pipeline):
    response = admin_client.post("/admin/leads/pipelines/add", {
        "name": "Partners", "order": "2", "is_default": "on", "active": "on"})
    assert response.status_code == 302
    partners = Pipeline.objects.get(name="Partners")
    assert partners.is_default
    assert list(Pipeline.objects.filter(is_default=True)) == [partners]
    assert Activity.objects.filter(event="lead_config.created", object_id=partners.pk).exists()


def test_the_default_pipeline_stays_default_until_another_takes_over(admin_client, pipeline):
    response = admin_client.post(f"/admin/leads/pipelines/{pipeline.pk}/edit", {
        "name": "Sales", "order": "0", "active": "on"})
    assert response.status_code == 200
    assert "There must be a default pipeline" in response.content.decode()
    pipeline.refresh_from_db()
    assert pipeline.is_default


def test_edit_a_pipeline_logs_old_and_new(admin_client, pipeline):
    response = admin_client.post(f"/admin/leads/pipelines/{pipeline.pk}/edit", {
        "name": "Direct sales", "order": "0", "is_default": "on", "active": "on"})
    assert response.status_code == 302
    pipeline.refresh_from_db()
    assert pipeline.name == "Direct sales"
    row = Activity.objects.get(event="lead_config.updated", object_id=pipeline.pk)
    assert row.changes["name"] == ["Sales", "Direct sales"]
    assert row.actor.username == "boss"


def test_a_pipeline_with_leads_cannot_be_deleted(admin_client, other_pipeline):
    LeadFactory(status=other_pipeline.statuses.get())
    response = admin_client.post(f"/admin/leads/pipelines/{other_pipeline.pk}/delete",
                                 follow=True)
    assert any("leads are in this pipeline" in text for text in messages_of(response))
    assert Pipeline.objects.filter(pk=other_pipeline.pk).exists()


def test_an_empty_pipeline_is_deleted_with_its_statuses(admin_client, other_pipeline):
    response = admin_client.post(f"/admin/leads/pipelines/{other_pipeline.pk}/delete",
                                 follow=True)
    assert "Pipeline “Partners” deleted." in messages_of(response)
    assert not Pipeline.objects.filter(pk=other_pipeline.pk).exists()
    assert not LeadStatus.objects.filter(name="Intro").exists()
    assert Activity.objects.filter(event="lead_config.deleted").exists()


def test_the_default_pipeline_cannot_be_deleted(admin_client, pipeline):
    response = admin_client.post(f"/admin/leads/pipelines/{pipeline.pk}/delete", follow=True)
    assert any("default pipeline cannot be deleted" in text for text in messages_of(response))
    assert Pipeline.objects.filter(pk=pipeline.pk).exists()


# --- statuses ----------------------------------------------------------------------------

def test_statuses_are_filtered_by_pipeline(admin_client, pipeline, other_pipeline):
    page = admin_client.get(f"/admin/leads/statuses?pipeline={other_pipeline.pk}")
    rows = list(page.context["page_obj"])
    assert [status.name for status in rows] == ["Intro"]
    everything = admin_client.get("/admin/leads/statuses").context["page_obj"]
    # Grouped by pipeline (same order: by name), in stage order inside each.
    assert [status.name for status in everything] == [
        "Intro", "New", "Contacted", "Qualified", "Demo Scheduled", "Proposal Sent"]


def test_add_a_status_with_its_colour(admin_client, pipeline):
    form = admin_client.get(f"/admin/leads/statuses/add?pipeline={pipeline.pk}")
    assert 'type="color"' in form.content.decode()
    response = admin_client.post("/admin/leads/statuses/add", {
        "pipeline": pipeline.pk, "name": "Negotiation", "order": "5", "color": "#112233"})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/leads/statuses?pipeline={pipeline.pk}"
    status = pipeline.statuses.get(name="Negotiation")
    assert status.color == "#112233"


def test_a_status_name_is_unique_in_its_pipeline(admin_client, pipeline):
    response = admin_client.post("/admin/leads/statuses/add", {
        "pipeline": pipeline.pk, "name": "New", "order": "5", "color": "#112233"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_reorder_a_status(admin_client, stages):
    last = stages[-1]
    response = admin_client.post(f"/admin/leads/statuses/{last.pk}/edit", {
        "pipeline": last.pipeline_id, "name": last.name, "order": "0", "color": last.color})
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.order == 0


def test_a_status_with_leads_cannot_be_deleted_nor_moved(admin_client, lead, other_pipeline):
    status = lead.status
    response = admin_client.post(f"/admin/leads/statuses/{status.pk}/delete", follow=True)
    assert any("leads are in this status" in text for text in messages_of(response))
    response = admin_client.post(f"/admin/leads/statuses/{status.pk}/edit", {
        "pipeline": other_pipeline.pk, "name": status.name, "order": "0",
        "color": status.color})
    assert response.status_code == 200
    assert "stays in its pipeline" in response.content.decode()
    status.refresh_from_db()
    assert status.pipeline_id == lead.pipeline_id


def test_an_unused_status_is_deleted(admin_client, pipeline):
    status = LeadStatusFactory(pipeline=pipeline, name="Spare")
    admin_client.post(f"/admin/leads/statuses/{status.pk}/delete")
    assert not LeadStatus.objects.filter(pk=status.pk).exists()


def test_a_bad_colour_is_refused(admin_client, pipeline):
    response = admin_client.post("/admin/leads/statuses/add", {
        "pipeline": pipeline.pk, "name": "Odd", "order": "5", "color": "red"})
    assert "Enter a colour as #RRGGBB." in response.content.decode()


# --- sources, lost reasons, opportunity statuses ---------------------------------------------

def test_a_sales_manager_adds_sources_and_lost_reasons_but_deletes_none(login_as, manager):
    client = login_as(manager)
    assert client.post("/admin/leads/sources/add",
                       {"name": "Trade fair", "active": "on"}).status_code == 302
    assert client.post("/admin/leads/lost-reasons/add",
                       {"name": "No decision", "active": "on"}).status_code == 302
    source = LeadSource.objects.get(name="Trade fair")
    assert client.post(f"/admin/leads/sources/{source.pk}/delete").status_code == 403
    assert client.get("/admin/leads/pipelines/add").status_code == 403
    assert client.get("/admin/leads/custom-fields/add").status_code == 403


def test_a_lost_reason_in_use_is_kept(admin_client, lead, lost_reason, agent):
    from leads import services

    services.lead_mark_lost(actor=agent, lead=lead, reason=lost_reason)
    response = admin_client.post(f"/admin/leads/lost-reasons/{lost_reason.pk}/delete",
                                 follow=True)
    assert any("deactivate it instead" in text for text in messages_of(response))
    assert LostReason.objects.filter(pk=lost_reason.pk).exists()


def test_deactivate_a_source(admin_client, source):
    response = admin_client.post(f"/admin/leads/sources/{source.pk}/edit", {"name": source.name})
    assert response.status_code == 302
    source.refresh_from_db()
    assert not source.active


def test_add_an_opportunity_status_with_outcome(admin_client):
    response = admin_client.post("/admin/opportunities/statuses/add", {
        "name": "Contract signed", "order": "9", "color": "#00aa00", "outcome": "won"})
    assert response.status_code == 302
    assert OpportunityStatus.objects.get(name="Contract signed").outcome == "won"


# --- custom fields -----------------------------------------------------------------------

def test_a_custom_field_key_is_made_from_its_label(admin_client):
    response = admin_client.post("/admin/leads/custom-fields/add", {
        "label": "Fleet size", "key": "", "field_type": "number", "order": "1",
        "active": "on"})
    assert response.status_code == 302
    assert CustomField.objects.get(label="Fleet size").key == "fleet-size"


def test_a_choice_field_needs_options(admin_client):
    response = admin_client.post("/admin/leads/custom-fields/add", {
        "label": "Segment", "key": "segment", "field_type": "choice", "choices": " \n ",
        "order": "1", "active": "on"})
    assert response.status_code == 200
    assert "A choice field needs at least one option." in response.content.decode()
    assert not CustomField.objects.exists()


def test_a_custom_field_key_is_unique(admin_client):
    CustomField.objects.create(label="Segment", key="segment")
    response = admin_client.post("/admin/leads/custom-fields/add", {
        "label": "Segment", "key": "", "field_type": "text", "order": "1", "active": "on"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_role_given_the_permission_edits_custom_fields(login_as, make_user):
    user = make_user(roles.SALES_MANAGER)
    group = Group.objects.create(name="Field editors")
    group.permissions.add(Permission.objects.get(codename="change_customfield"))
    user.groups.add(group)
    field = CustomField.objects.create(label="Segment", key="segment")
    response = login_as(user).post(f"/admin/leads/custom-fields/{field.pk}/edit", {
        "label": "Market segment", "key": "segment", "field_type": "text", "order": "0"})
    assert response.status_code == 302
    field.refresh_from_db()
    assert field.label == "Market segment" and not field.active


def test_first_pipeline_after_a_flush_becomes_the_default(admin_client):
    Pipeline.objects.update(is_default=False)
    PipelineFactory(name="Existing")
    response = admin_client.post("/admin/leads/pipelines/add", {
        "name": "Fresh", "order": "0", "active": "on"})
    assert response.status_code == 302
    assert Pipeline.objects.get(name="Fresh").is_default
