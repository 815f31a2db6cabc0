"""Proposal templates (add, edit with lines, delete) and the proposal settings page."""

from decimal import Decimal

import pytest

from crmconnect.activity.models import Activity
from sales.models import ProposalSettings, ProposalTemplate

from ..factories import ItemFactory, vat_rate
from ..forms import fill_line, rendered_form

LIST_URL = "/admin/proposals/templates"
ADD_URL = "/admin/proposals/templates/add"


@pytest.fixture(autouse=True)
def _vat(db):
    vat_rate("21")
    vat_rate("11")


def test_add_a_template_with_lines(login_as, manager):
    item = ItemFactory(name="Hosting", unit_price=Decimal("50"))
    client = login_as(manager)
    data = rendered_form(client.get(ADD_URL))
    data.update(name="Onboarding project", subject="Your project",
                content='<p>Hello <script>alert(1)</script><b>there</b></p>', terms="50 % upfront",
                active="on")
    fill_line(data, 0, item=item.pk, description="Hosting", quantity="12", unit_price="50",
              vat="21:S")
    fill_line(data, 1, description="Kick-off workshop", quantity="1", unit_price="800",
              vat="11:S")
    response = client.post(ADD_URL, data)
    assert response["Location"] == LIST_URL
    template = ProposalTemplate.objects.get(name="Onboarding project")
    assert template.content == "<p>Hello <b>there</b></p>"  # sanitised
    assert [(row.description, row.vat_rate) for row in template.lines.all()] == [
        ("Hosting", Decimal("21.0000")), ("Kick-off workshop", Decimal("11.0000"))]
    assert Activity.objects.filter(event="proposaltemplate.created").exists()
    assert "Onboarding project" in client.get(LIST_URL).content.decode()


def test_a_template_may_have_no_lines(login_as, manager):
    client = login_as(manager)
    data = rendered_form(client.get(ADD_URL))
    data.update(name="Cover letter only", active="on")
    assert client.post(ADD_URL, data).status_code == 302
    assert not ProposalTemplate.objects.get(name="Cover letter only").lines.exists()


def test_duplicate_names_show_on_the_form(login_as, manager):
    ProposalTemplate.objects.create(name="Retainer")
    client = login_as(manager)
    data = rendered_form(client.get(ADD_URL))
    data.update(name="Retainer")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_edit_replaces_the_lines(login_as, manager):
    client = login_as(manager)
    data = rendered_form(client.get(ADD_URL))
    data.update(name="Retainer", active="on")
    fill_line(data, 0, description="Monthly retainer", unit_price="1000", vat="21:S")
    client.post(ADD_URL, data)
    template = ProposalTemplate.objects.get(name="Retainer")
    edit_url = f"/admin/proposals/templates/{template.pk}/edit"
    data = rendered_form(client.get(edit_url))
    assert data["lines-0-description"] == "Monthly retainer"
    data["lines-0-unit_price"] = "1200"
    data["subject"] = "Retainer 2026"
    assert client.post(edit_url, data).status_code == 302
    template.refresh_from_db()
    assert template.subject == "Retainer 2026"
    assert [row.unit_price for row in template.lines.all()] == [Decimal("1200.0000")]


def test_delete_a_template(login_as, manager):
    template = ProposalTemplate.objects.create(name="Old")
    response = login_as(manager).post(f"/admin/proposals/templates/{template.pk}/delete")
    assert response.status_code == 302 and not ProposalTemplate.objects.filter(
        name="Old").exists()


def test_agents_use_templates_but_do_not_change_them(login_as, agent):
    template = ProposalTemplate.objects.create(name="Agent's")
    client = login_as(agent)
    html = client.get(LIST_URL).content.decode()
    assert "Agent&#x27;s" in html and "/admin/proposals/templates/add" not in html
    assert f"/admin/proposals/add?template={template.pk}" in html
    assert client.get(ADD_URL).status_code == 403
    assert client.get(f"/admin/proposals/templates/{template.pk}/edit").status_code == 403
    assert client.post(f"/admin/proposals/templates/{template.pk}/delete").status_code == 403
    assert client.get(f"/admin/proposals/templates/{template.pk}/delete").status_code == 405


def test_settings_page(login_as, manager, agent):
    client = login_as(manager)
    data = rendered_form(client.get("/admin/proposals/settings"))
    assert data["default_open_days"] == "21"
    data.update(default_open_days="30", follow_up_after_days="2",
                estimate_auto_convert_to_invoice_on_client_accept="on")
    assert client.post("/admin/proposals/settings", data).status_code == 302
    settings = ProposalSettings.load()
    assert (settings.default_open_days, settings.follow_up_after_days) == (30, 2)
    assert settings.estimate_auto_convert_to_invoice_on_client_accept
    assert Activity.objects.filter(event="settings.updated").exists()
    refused = client.post("/admin/proposals/settings", {**data, "default_open_days": "0"})
    assert refused.status_code == 200 and "default_open_days" in refused.context["form"].errors
    assert login_as(agent).get("/admin/proposals/settings").status_code == 403


def test_new_proposals_are_open_for_the_configured_days(login_as, manager, agent):
    import datetime

    from django.utils import timezone

    settings = ProposalSettings.load()
    settings.default_open_days = 14
    settings.save()
    data = rendered_form(login_as(agent).get("/admin/proposals/add"))
    assert data["open_till"] == (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
