"""The agent's day in the browser: a lead from its creation to a client."""

import datetime
import time

import pytest
from django.utils import timezone

from crmconnect.activity.models import Task
from crmconnect.clients.models import Client
from crmconnect.staff import roles
from leads.models import Interaction, Lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(check, timeout=10):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page's change to reach the database")
        time.sleep(0.1)


def test_from_lead_to_client(page, make_user, stages, opportunity_status):
    agent = make_user(roles.SALES_AGENT, username="agent")
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations

    page.goto("/accounts/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")

    # Create a lead: no email and no phone is refused with the input kept.
    page.goto("/admin/leads")
    page.click("text=Add lead")
    page.fill("#id_name", "Dana Stoica")
    page.fill("#id_company", "Vest Energy SRL")
    page.fill("#id_value", "12000")
    page.click("button[type=submit]:has-text('Add lead')")
    page.wait_for_selector("text=Enter an email or a phone number.")
    assert page.input_value("#id_company") == "Vest Energy SRL"
    assert not Lead.objects.exists()
    page.fill("#id_email", "dana@vest-energy.example.ro")
    page.click("button[type=submit]:has-text('Add lead')")
    page.wait_for_selector("h1:has-text('Dana Stoica')")
    lead = Lead.objects.get()
    assert (lead.status, lead.assigned_to) == (stages[0], agent)

    # Drag it from the first column to the second.
    page.goto("/admin/leads")
    card = page.locator(f"[data-status='{stages[0].pk}'] .kanban-card", has_text="Dana Stoica")
    target = page.locator(f"[data-status='{stages[1].pk}']")
    card.wait_for()
    card.drag_to(target)
    wait_until(lambda: Lead.objects.get(pk=lead.pk).status == stages[1])
    page.locator(f"[data-status='{stages[1].pk}'] .kanban-card",
                 has_text="Dana Stoica").wait_for()

    # Log a call and set a follow-up reminder from the activity tab.
    page.goto(f"/admin/leads/{lead.pk}#activity")
    page.click("#log-call-pill")
    page.fill("#id_call-summary", "Wants an offer for 40 kW of solar panels.")
    page.fill("#id_call-duration_minutes", "15")
    page.click("#log-call button[type=submit]")
    page.wait_for_selector("text=Wants an offer for 40 kW of solar panels.")
    assert Interaction.objects.get(lead=lead).duration_minutes == 15
    assert page.is_visible("#no-follow-up")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_follow-up-due_date", tomorrow.isoformat())
    page.click("button:has-text('Set follow-up')")
    page.wait_for_selector("#no-follow-up", state="detached")
    assert Task.objects.get().record == lead

    # Convert to an opportunity and find it, weighted, in the opportunities list.
    page.click("text=Convert to Opportunity")
    page.select_option("#id_opportunity_status", str(opportunity_status.pk))
    page.fill("#id_probability", "40")
    page.click("button:has-text('Create opportunity')")
    page.wait_for_selector("h1:has-text('Dana Stoica')")
    opportunity = Lead.objects.opportunities().get()
    assert opportunity.converted_from == lead
    page.goto("/admin/opportunities")
    row = page.locator("table tbody tr", has_text="Dana Stoica")
    assert "4,800.00" in row.inner_text()  # 12,000 × 40 %

    # Convert the opportunity to a client.
    row.locator("a", has_text="Dana Stoica").first.click()
    page.click("button:has-text('Convert to Client')")
    page.wait_for_url("**/admin/clients/*")
    client = Client.objects.get()
    assert client.name == "Vest Energy SRL"
    assert Lead.objects.get(pk=opportunity.pk).client == client
