"""The proposal flow as people do it, in Chromium: the agent writes a proposal from an
opportunity and sends it; the client opens the emailed link in their own browser, asks a
question, reads the reply and accepts with a drawn signature; the agent sees the proposal
accepted, ready to convert."""

import pytest
from playwright.sync_api import expect

from crmconnect.activity.models import Notification
from sales.models import Proposal

from ..clients.test_browser import log_in
from ..factories import OpportunityFactory
from .test_send_email import link_in, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draw_signature(page):
    canvas = page.locator("canvas.signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    left, top = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(left, top)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(left + step * 25, top + (15 if step % 2 else -15), steps=3)
    page.mouse.up()


def test_from_opportunity_to_accepted_proposal(page, chromium, live_server, settings,
                                               company_smtp, agent, account, item):
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    settings.SITE_URL = live_server.url
    opportunity = OpportunityFactory(name="Maria Ionescu", email="maria@alfa.example.com",
                                     client=account, assigned_to=agent)
    page.on("dialog", lambda dialog: dialog.accept())  # the "Send …?" confirmation
    log_in(page, agent)

    # The agent writes the proposal from the opportunity's record.
    page.goto(opportunity.get_absolute_url())
    page.click("a:has-text('Create proposal') >> nth=0")
    page.wait_for_url("**/admin/proposals/add?lead=*")
    page.fill("#id_subject", "Security audit 2026")
    row = page.locator("[data-line-row]").nth(0)
    row.locator("[data-line=item_label]").fill("AUD")
    page.click("text=AUD-01 — Security audit")
    expect(row.locator("[data-line=unit_price]")).not_to_have_value("")
    row.locator("[data-line=quantity]").fill("2")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=created as a draft")
    proposal = Proposal.objects.get()
    assert proposal.lead == opportunity and proposal.client == account
    assert proposal.recipient_email == "maria@alfa.example.com"

    # Send: a real worker delivers the email to the SMTP server.
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        page.click("#proposal-actions button:has-text('Send')")
        page.wait_for_selector("#proposal-flags >> text=Sent")
        assert wait_for(lambda: company_smtp.messages)
    (message,) = company_smtp.messages
    assert message["to"] == ["maria@alfa.example.com"]
    link = link_in(message)
    assert link.startswith(f"{live_server.url}/p/")

    # The client opens the link in their own browser: no login, the proposal Reviewed.
    client_context = chromium.new_context()
    client_context.set_default_timeout(10_000)
    client_page = client_context.new_page()
    errors = []
    client_page.on("console", lambda entry: errors.append(entry.text)
                   if entry.type == "error" else None)
    try:
        client_page.goto(link)
        assert client_page.locator("[data-status]").inner_text() == "Reviewed"
        assert client_page.locator("text=Security audit 2026").count() == 1
        assert Notification.objects.filter(recipient=agent, message__contains="reading").exists()
        page.reload()
        assert page.locator("#notification-bell .notification-count").is_visible()

        client_page.fill("#id_comment_body", "Can the audit start on May 5?")
        client_page.click("button:has-text('Send comment')")
        client_page.wait_for_selector("text=Your comment was sent.")

        # The agent replies on the proposal's page; the client sees the reply.
        page.goto(proposal.get_absolute_url())
        page.click("#discussion-tab")
        assert page.locator("#discussion >> text=Can the audit start on May 5?").is_visible()
        page.fill("#discussion textarea[name=body]", "Yes, May 5 works for us.")
        page.click("#discussion button:has-text('Reply')")
        page.wait_for_load_state()
        client_page.reload()
        assert client_page.locator(
            ".portal-comment-staff >> text=Yes, May 5 works for us.").is_visible()

        # The client accepts with a drawn signature.
        assert client_page.locator("#id_signer_name").input_value() == "Maria Ionescu"
        draw_signature(client_page)
        assert client_page.input_value("#id_signature").startswith("data:image/png;base64,")
        client_page.click("button:has-text('Accept proposal')")
        client_page.wait_for_selector("text=the proposal is accepted")
        assert client_page.locator("img.signature-image").is_visible()
        assert not errors
    finally:
        client_context.close()

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.signature.startswith("data:image/png;base64,")
    page.goto(proposal.get_absolute_url())
    assert page.locator("#proposal-flags >> text=Accepted").is_visible()
    assert page.locator("button:has-text('Convert to Sales Order')").is_visible()
