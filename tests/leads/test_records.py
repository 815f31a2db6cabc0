"""The lead record pages: create, detail, edit, lost/junk/restore and delete."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from crmconnect.activity.models import Activity
from crmconnect.activity.services import activity_record
from crmconnect.staff import roles
from leads import services
from leads.models import CustomField, Interaction, Lead, Tag

from ..factories import LeadFactory, OpportunityFactory, UserFactory


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def lead_data(stage, **overrides):
    data = {"name": "Ana Pop", "company": "Pop Design SRL", "email": "ana@pop.example.com",
            "phone": "", "pipeline": stage.pipeline_id, "status": stage.pk,
            "currency": "RON", "value": "1500", "tags": ""}
    data.update(overrides)
    return data


def role_with(*codenames):
    """A user whose only role holds exactly these permissions."""
    group = Group.objects.create(name="Custom role")
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    user = UserFactory()
    user.groups.add(group)
    return user


# --- create ------------------------------------------------------------------------------

def test_the_add_form_starts_in_the_default_pipeline(login_as, agent, stages):
    page = login_as(agent).get("/admin/leads/add")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["pipeline"] == stages[0].pipeline_id
    assert form.initial["status"] == stages[0].pk
    assert "assigned_to" not in form.fields  # agents work their own leads


def test_the_add_form_takes_the_pipeline_from_the_query(login_as, manager, other_pipeline):
    page = login_as(manager).get(f"/admin/leads/add?pipeline={other_pipeline.pk}")
    assert page.context["form"].initial["pipeline"] == other_pipeline.pk
    assert f'<optgroup label="{other_pipeline.name}">' in page.content.decode()


def test_create_a_lead(login_as, agent, stages, source):
    client = login_as(agent)
    Tag.objects.create(name="VIP")
    response = client.post("/admin/leads/add", lead_data(
        stages[1], source=source.pk, tags=" hot, Hot ,vip,, event 2025 "))
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/leads/{lead.pk}"
    assert lead.assigned_to == agent and lead.created_by == agent
    assert lead.status == stages[1] and lead.source == source
    assert sorted(tag.name for tag in lead.tags.all()) == ["VIP", "event 2025", "hot"]
    assert Tag.objects.count() == 3
    assert Activity.objects.filter(event="lead.created", object_id=lead.pk).exists()
    page = client.get(response["Location"])
    assert "Lead “Ana Pop (Pop Design SRL)” added." in messages_of(page)


def test_a_lead_needs_an_email_or_a_phone(login_as, agent, stages):
    response = login_as(agent).post("/admin/leads/add", lead_data(
        stages[0], email="", phone="", tags="fresh"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == ["Enter an email or a phone number."]
    assert form.errors["phone"] == ["Enter an email or a phone number."]
    page = response.content.decode()
    assert 'value="Pop Design SRL"' in page  # the user's input is kept
    assert not Lead.objects.exists()
    assert not Tag.objects.exists()


def test_a_phone_alone_is_enough(login_as, agent, stages):
    response = login_as(agent).post("/admin/leads/add", lead_data(
        stages[0], email="", phone="+40 744 000 111"))
    assert response.status_code == 302
    assert Lead.objects.get().phone == "+40 744 000 111"


def test_a_status_of_another_pipeline_is_refused(login_as, agent, stages, other_pipeline):
    response = login_as(agent).post("/admin/leads/add", lead_data(
        stages[0], status=other_pipeline.statuses.get().pk))
    assert response.status_code == 200
    assert "belongs to another pipeline" in response.context["form"].errors["status"][0]
    assert not Lead.objects.exists()


def test_the_name_is_required(login_as, agent, stages):
    response = login_as(agent).post("/admin/leads/add", lead_data(stages[0], name=""))
    assert "name" in response.context["form"].errors
    assert not Lead.objects.exists()


def test_a_manager_assigns_the_agent(login_as, manager, agent, stages):
    response = login_as(manager).post("/admin/leads/add",
                                      lead_data(stages[0], assigned_to=agent.pk))
    assert response.status_code == 302
    assert Lead.objects.get().assigned_to == agent


def test_without_add_tag_only_existing_tags_are_used(login_as, stages):
    user = role_with("view_lead", "add_lead", "change_lead", "view_all_lead")
    Tag.objects.create(name="VIP")
    client = login_as(user)
    response = client.post("/admin/leads/add", lead_data(stages[0], tags="vip, brand-new"))
    assert response.status_code == 200
    assert response.context["form"].errors["tags"] == [
        "Unknown tag: brand-new. Use existing tags only."]
    assert not Lead.objects.exists()
    response = client.post("/admin/leads/add", lead_data(stages[0], tags="vip"))
    assert response.status_code == 302
    assert [tag.name for tag in Lead.objects.get().tags.all()] == ["VIP"]


@pytest.fixture
def custom_fields(db):
    return [
        CustomField.objects.create(label="Fleet size", key="fleet", field_type="number",
                                   required=True, order=1),
        CustomField.objects.create(label="Contract end", key="contract_end",
                                   field_type="date", order=2),
        CustomField.objects.create(label="Segment", key="segment", field_type="choice",
                                   choices="SMB\nEnterprise", order=3),
        CustomField.objects.create(label="Old field", key="old", active=False),
    ]


def test_custom_fields_are_validated_by_type(login_as, agent, stages, custom_fields):
    client = login_as(agent)
    page = client.get("/admin/leads/add").content.decode()
    assert 'name="cf_fleet"' in page and 'name="cf_old"' not in page
    assert 'type="date" name="cf_contract_end"' in page
    response = client.post("/admin/leads/add", lead_data(
        stages[0], cf_fleet="", cf_contract_end="31.12.2025", cf_segment="Huge"))
    errors = response.context["form"].errors
    assert errors["cf_fleet"] == ["This field is required."]
    assert errors["cf_contract_end"] == ["Enter a valid date."]
    assert "Select a valid choice" in errors["cf_segment"][0]
    response = client.post("/admin/leads/add", lead_data(stages[0], cf_fleet="twelve"))
    assert response.context["form"].errors["cf_fleet"] == ["Enter a number."]
    assert not Lead.objects.exists()


def test_custom_values_are_saved_and_shown(login_as, agent, stages, custom_fields):
    client = login_as(agent)
    response = client.post("/admin/leads/add", lead_data(
        stages[0], cf_fleet="12.5", cf_contract_end="2025-12-31", cf_segment="Enterprise"))
    lead = Lead.objects.get()
    assert lead.custom_values == {"fleet": "12.5", "contract_end": "2025-12-31",
                                  "segment": "Enterprise"}
    page = client.get(response["Location"]).content.decode()
    assert "Fleet size" in page and "12.5" in page
    assert "31.12.2025" in page and "Enterprise" in page
    edit = client.get(f"/admin/leads/{lead.pk}/edit").content.decode()
    assert 'value="2025-12-31"' in edit and 'value="12.5"' in edit


# --- detail ------------------------------------------------------------------------------

def test_the_owner_sees_the_record(login_as, agent, lead):
    page = login_as(agent).get(f"/admin/leads/{lead.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert lead.name in html and lead.status.name in html
    assert f'action="/admin/leads/{lead.pk}/move"' in html
    assert f'value="/admin/leads/{lead.pk}"' in html  # next
    assert "Convert to Opportunity" in html and "Convert to Client" in html
    assert f'action="/admin/leads/{lead.pk}/delete"' not in html  # agents cannot delete


def test_another_agents_lead_is_not_found(login_as, other_agent, lead):
    client = login_as(other_agent)
    assert client.get(f"/admin/leads/{lead.pk}").status_code == 404
    assert client.get(f"/admin/leads/{lead.pk}/edit").status_code == 404
    assert client.post(f"/admin/leads/{lead.pk}/junk").status_code == 404
    lead.refresh_from_db()
    assert not lead.is_junk


def test_a_manager_sees_every_lead(login_as, manager, lead):
    assert login_as(manager).get(f"/admin/leads/{lead.pk}").status_code == 200


def test_a_user_without_a_role_is_refused(login_as, make_user, lead):
    assert login_as(make_user()).get(f"/admin/leads/{lead.pk}").status_code == 403


def test_the_wrong_kind_of_url_redirects(login_as, manager, lead, opportunity_status):
    opportunity = OpportunityFactory(status=lead.status, opportunity_status=opportunity_status)
    client = login_as(manager)
    response = client.get(f"/admin/leads/{opportunity.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/opportunities/{opportunity.pk}"
    response = client.get(f"/admin/opportunities/{lead.pk}")
    assert response["Location"] == f"/admin/leads/{lead.pk}"
    response = client.get(f"/admin/leads/{opportunity.pk}/edit")
    assert response["Location"] == f"/admin/opportunities/{opportunity.pk}/edit"


def test_flags_on_the_record(login_as, manager, lead, lost_reason):
    Lead.objects.filter(pk=lead.pk).update(
        status_changed_at=lead.status_changed_at.replace(year=2020))
    client = login_as(manager)
    html = client.get(f"/admin/leads/{lead.pk}").content.decode()
    assert "Stagnant" in html
    services.lead_mark_lost(actor=manager, lead=lead, reason=lost_reason, note="Too dear")
    html = client.get(f"/admin/leads/{lead.pk}").content.decode()
    assert "Lost: Price too high" in html and "Too dear" in html and "Restore" in html
    assert "Stagnant" not in html


def test_the_history_tab_lists_the_lead_log(login_as, manager, lead):
    services.lead_update(actor=manager, lead=lead, company="Renamed SRL")
    html = login_as(manager).get(f"/admin/leads/{lead.pk}").content.decode()
    assert "lead.updated" in html and "Renamed SRL" in html


def test_the_detail_page_query_count_is_constant(assert_constant_queries, manager, lead,
                                                  opportunity_status, custom_fields):
    ContentType.objects.get_for_models(Lead, Interaction)  # a warm cache, as in production
    lead.tags.add(Tag.objects.create(name="first"))
    Interaction.objects.create(lead=lead, kind="note", summary="First", created_by=manager)
    services.lead_convert_to_opportunity(actor=manager, lead=lead,
                                         opportunity_status=opportunity_status)

    def add_rows():
        for n in range(3):
            lead.tags.add(Tag.objects.create(name=f"tag {n}"))
            activity_record(actor=manager, event="lead.updated", record=lead,
                            description=f"change {n}", changes={"name": ["a", "b"]})
            Interaction.objects.create(lead=lead, kind="call", summary=f"Call {n}",
                                       created_by=manager)
            services.lead_convert_to_opportunity(actor=manager, lead=lead,
                                                 opportunity_status=opportunity_status)

    assert_constant_queries(f"/admin/leads/{lead.pk}", add_rows, user=manager)


# --- edit --------------------------------------------------------------------------------

def test_edit_a_lead(login_as, agent, lead, stages):
    client = login_as(agent)
    response = client.post(f"/admin/leads/{lead.pk}/edit", lead_data(
        stages[2], name=lead.name, email=lead.email, company="New Name SRL", tags="warm"))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.company == "New Name SRL" and lead.status == stages[2]
    assert [tag.name for tag in lead.tags.all()] == ["warm"]
    row = Activity.objects.get(event="lead.updated", object_id=lead.pk)
    assert row.changes["company"][1] == "New Name SRL"
    assert row.changes["status"] == [stages[0].name, stages[2].name]
    assert row.changes["tags"] == [[], ["warm"]]


def test_edit_refuses_invalid_input_and_keeps_it(login_as, agent, lead, stages):
    response = login_as(agent).post(f"/admin/leads/{lead.pk}/edit", lead_data(
        stages[0], name=lead.name, email="not-an-email", company="Typed SRL"))
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="Typed SRL"' in response.content.decode()
    lead.refresh_from_db()
    assert lead.company != "Typed SRL"


def test_edit_shows_the_current_tags(login_as, agent, lead):
    lead.tags.add(Tag.objects.create(name="alpha"), Tag.objects.create(name="beta"))
    form = login_as(agent).get(f"/admin/leads/{lead.pk}/edit").context["form"]
    assert form.initial["tags"] == "alpha, beta"


def test_edit_an_opportunity(login_as, agent, lead, opportunity_status):
    opportunity = services.lead_convert_to_opportunity(
        actor=agent, lead=lead, opportunity_status=opportunity_status, value=1000)
    client = login_as(agent)
    page = client.get(f"/admin/opportunities/{opportunity.pk}/edit")
    assert "status" not in page.context["form"].fields
    response = client.post(f"/admin/opportunities/{opportunity.pk}/edit", {
        "name": opportunity.name, "email": opportunity.email, "currency": "EUR",
        "value": "2000", "opportunity_status": opportunity_status.pk, "probability": "40",
        "close_date": "2030-06-30"})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/opportunities/{opportunity.pk}"
    opportunity.refresh_from_db()
    assert opportunity.probability == 40 and str(opportunity.close_date) == "2030-06-30"
    assert "800.00 EUR" in client.get(response["Location"]).content.decode()


def test_an_opportunity_needs_its_status_and_a_probability_up_to_100(login_as, agent, lead,
                                                                     opportunity_status):
    opportunity = services.lead_convert_to_opportunity(
        actor=agent, lead=lead, opportunity_status=opportunity_status)
    response = login_as(agent).post(f"/admin/opportunities/{opportunity.pk}/edit", {
        "name": opportunity.name, "email": opportunity.email, "currency": "RON",
        "opportunity_status": "", "probability": "140"})
    errors = response.context["form"].errors
    assert "opportunity_status" in errors and "probability" in errors


# --- lost, junk, restore, delete ------------------------------------------------------------

def test_lost_needs_a_reason(login_as, agent, lead):
    response = login_as(agent).post(f"/admin/leads/{lead.pk}/lost", {"reason": ""},
                                    follow=True)
    assert "Not marked lost: Choose why the lead was lost." in messages_of(response)
    lead.refresh_from_db()
    assert lead.is_active


def test_lost_junk_and_restore(login_as, agent, lead, lost_reason):
    client = login_as(agent)
    response = client.post(f"/admin/leads/{lead.pk}/lost",
                           {"reason": lost_reason.pk, "note": "Chose a rival"})
    assert response.status_code == 302 and response["Location"] == f"/admin/leads/{lead.pk}"
    lead.refresh_from_db()
    assert lead.is_lost and lead.lost_note == "Chose a rival"
    assert not Lead.objects.active().filter(pk=lead.pk).exists()
    assert Lead.objects.lost().filter(pk=lead.pk).exists()

    client.post(f"/admin/leads/{lead.pk}/restore")
    lead.refresh_from_db()
    assert lead.is_active and lead.lost_reason is None

    client.post(f"/admin/leads/{lead.pk}/junk")
    lead.refresh_from_db()
    assert lead.is_junk and not Lead.objects.active().filter(pk=lead.pk).exists()
    client.post(f"/admin/leads/{lead.pk}/restore")
    lead.refresh_from_db()
    assert lead.is_active
    events = list(Activity.objects.filter(object_id=lead.pk).values_list("event", flat=True))
    assert {"lead.lost", "lead.junk", "lead.restored"} <= set(events)


def test_delete_is_for_administrators(login_as, manager, admin_user, lead):
    assert login_as(manager).post(f"/admin/leads/{lead.pk}/delete").status_code == 403
    assert Lead.objects.filter(pk=lead.pk).exists()
    response = login_as(admin_user).post(f"/admin/leads/{lead.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/admin/leads"
    assert not Lead.objects.filter(pk=lead.pk).exists()
    assert Activity.objects.filter(event="lead.deleted").exists()


def test_deleting_an_opportunity_goes_back_to_the_opportunities(admin_client, lead,
                                                                opportunity_status):
    opportunity = OpportunityFactory(status=lead.status, opportunity_status=opportunity_status)
    response = admin_client.post(f"/admin/leads/{opportunity.pk}/delete")
    assert response["Location"] == "/admin/opportunities"


@pytest.mark.parametrize("action", ["lost", "junk", "restore", "delete",
                                    "convert-to-client"])
def test_actions_are_posts(admin_client, lead, action):
    assert admin_client.get(f"/admin/leads/{lead.pk}/{action}").status_code == 405


def test_an_sdr_without_change_permission_cannot_act(login_as, lead):
    viewer = role_with("view_lead", "view_all_lead")
    client = login_as(viewer)
    assert client.get(f"/admin/leads/{lead.pk}").status_code == 200
    assert client.post(f"/admin/leads/{lead.pk}/junk").status_code == 403
    assert client.get(f"/admin/leads/{lead.pk}/edit").status_code == 403
    assert client.get("/admin/leads/add").status_code == 403


def test_roles_see_their_own_leads(login_as, sdr, stages):
    own = LeadFactory(status=stages[0], assigned_to=sdr)
    other = LeadFactory(status=stages[0], assigned_to=UserFactory(role=roles.SDR))
    client = login_as(sdr)
    assert client.get(f"/admin/leads/{own.pk}").status_code == 200
    assert client.get(f"/admin/leads/{other.pk}").status_code == 404
