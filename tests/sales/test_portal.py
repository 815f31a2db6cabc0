"""The client portal pages: what the client sees and does through the proposal's link."""

import base64
import datetime
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.utils import timezone
from PIL import Image

from crmconnect.activity.models import Activity, Notification
from crmconnect.company.models import CompanySettings
from sales.models import Proposal, ProposalComment
from sales.pdf import document_context
from sales.services.lines import lines_replace
from sales.services.proposals import proposal_reply, proposal_revoke_link

from ..factories import line
from .conftest import with_link

Status = Proposal.Status


def url(token, action=""):
    return f"/p/{token}/{action}"


def png_data_url():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def accept_data(**values):
    return {"signer_name": "Ana Pop", "signer_email": "ana@client.example.com",
            "signature": "", "typed_signature": "Ana Pop", **values}


def expire(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(
        open_till=timezone.localdate() - datetime.timedelta(days=1))
    proposal.refresh_from_db()


def proposal_events(proposal, event):
    return Activity.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=proposal.pk,
        event=event)


# --- opening the link --------------------------------------------------------------------

def test_the_page_shows_the_proposal_and_never_the_internal_notes(client, sent_proposal):
    proposal, token = sent_proposal
    CompanySettings.objects.filter(pk=1).update(legal_name="Nord Soft SRL")
    Proposal.objects.filter(pk=proposal.pk).update(
        notes="Client is price sensitive: floor is 10% off", content="<p>Dear Ana,</p>",
        terms="<p>Payment in 15 days.</p>")
    page = client.get(url(token)).content.decode()
    assert "Nord Soft SRL" in page
    assert proposal.number in page and proposal.subject in page
    assert "<p>Dear Ana,</p>" in page and "<p>Payment in 15 days.</p>" in page
    assert "Audit" in page and "Training" in page
    assert 'data-total="total">473.99 RON' in page
    assert 'data-total="vat-21">63.00 RON' in page and 'data-total="vat-11">11.00 RON' in page
    assert "price sensitive" not in page
    assert "/admin" not in page  # no staff menu, no staff links


def test_opening_marks_it_reviewed_and_tells_the_agent_once(client, sent_proposal, agent):
    proposal, token = sent_proposal
    response = client.get(url(token), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Status.REVIEWED and proposal.viewed_at is not None
    assert 'data-status="1"' in response.content.decode()
    viewed = proposal_events(proposal, "proposal.viewed").get()
    assert viewed.ip_address == "203.0.113.9" and viewed.actor is None
    client.get(url(token))
    assert Notification.objects.filter(recipient=agent, message__contains="reading").count() == 1
    assert proposal_events(proposal, "proposal.viewed").count() == 1


def test_portal_responses_keep_the_link_private(client, sent_proposal):
    _, token = sent_proposal
    for response in (client.get(url(token)), client.get(url(token, "accept")),
                     client.get(url("x" * 43)), client.get(url(token, "pdf"))):
        assert response["Referrer-Policy"] == "same-origin"  # never sent to another site
        assert "noindex" in response["X-Robots-Tag"]
        assert response["Cache-Control"] == "no-store"


def test_a_wrong_or_tampered_token_gets_the_same_404_as_a_missing_one(client, sent_proposal):
    proposal, token = sent_proposal
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    missing = client.get(url("N" * len(token)))
    assert missing.status_code == 404
    for wrong in (tampered, token.upper(), token[:10], token + "x" * 80):
        response = client.get(url(wrong))
        assert response.status_code == 404
        assert response.content == missing.content
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_a_revoked_link_stops_working(client, sent_proposal, agent):
    proposal, token = sent_proposal
    proposal_revoke_link(actor=agent, proposal=proposal)
    assert client.get(url(token)).status_code == 404
    assert client.post(url(token, "accept"), accept_data()).status_code == 404


def test_an_address_that_keeps_guessing_gets_429_even_for_a_good_link(client, settings,
                                                                      sent_proposal):
    _, token = sent_proposal
    settings.PORTAL_MAX_FAILURES = 3
    for attempt in range(3):
        assert client.get(url(f"guess-{attempt}-" + "x" * 30)).status_code == 404
    response = client.get(url(token))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    other_address = client.get(url(token), REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 200


def test_the_actions_take_only_posts_with_a_csrf_token(sent_proposal):
    proposal, token = sent_proposal
    browser = HttpClient(enforce_csrf_checks=True)
    for action in ("accept", "decline", "comment"):
        assert browser.get(url(token, action)).status_code == 405
        assert browser.post(url(token, action), accept_data()).status_code == 403
    page = browser.get(url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(url(token, "accept"), {**accept_data(), "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED


def test_cover_letter_and_terms_are_cleaned_again_when_shown(client, sent_proposal):
    proposal, token = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(
        content='<p onclick="steal()">Hi</p><script>alert(1)</script><img src="x">',
        terms='<a href="javascript:alert(1)">terms</a><style>body{}</style>')
    page = client.get(url(token)).content.decode()
    assert "<p>Hi</p>" in page
    for unsafe in ("steal()", "alert(1)", '<img src="x"', "javascript:", "body{}"):
        assert unsafe not in page


# --- accepting ---------------------------------------------------------------------------

def test_accepting_with_a_typed_name(client, sent_proposal, agent):
    proposal, token = sent_proposal
    response = client.post(url(token, "accept"), accept_data(), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302 and response["Location"] == url(token)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert (proposal.signer_name, proposal.signature) == ("Ana Pop", "Ana Pop")
    assert proposal.signer_email == "ana@client.example.com"
    assert proposal.signed_ip == "203.0.113.5"
    assert Notification.objects.filter(recipient=agent, message__contains="accepted").exists()
    page = client.get(url(token)).content.decode()
    assert "the proposal is accepted" in page  # the message after the redirect
    assert "Accepted on" in page and 'class="typed-signature">Ana Pop' in page
    assert 'id="accept-form"' not in page and 'id="decline-form"' not in page


def test_accepting_with_a_drawn_signature_shows_it(client, sent_proposal):
    proposal, token = sent_proposal
    drawing = png_data_url()
    client.post(url(token, "accept"), accept_data(signature=drawing, typed_signature=""))
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED and proposal.signature == drawing
    assert f'src="{drawing}"' in client.get(url(token)).content.decode()


def test_accepting_twice_changes_nothing_the_second_time(client, sent_proposal):
    proposal, token = sent_proposal
    client.post(url(token, "accept"), accept_data())
    proposal.refresh_from_db()
    first = (proposal.accepted_at, proposal.signature, proposal.signer_name)
    client.post(url(token, "accept"), accept_data(signer_name="Somebody Else",
                                                  typed_signature="Somebody Else"))
    proposal.refresh_from_db()
    assert (proposal.accepted_at, proposal.signature, proposal.signer_name) == first
    assert proposal_events(proposal, "proposal.accepted").count() == 1


def test_a_refused_signature_shows_the_form_again_with_what_was_typed(client, sent_proposal):
    proposal, token = sent_proposal
    response = client.post(url(token, "accept"), accept_data(
        signer_name="Ana Maria Pop", signer_email="ana.maria@client.example.com",
        typed_signature="A. Pop"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A typed signature must be your name as above." in page
    assert 'value="Ana Maria Pop"' in page and 'value="ana.maria@client.example.com"' in page
    assert 'value="A. Pop"' in page
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_a_broken_drawing_is_refused(client, sent_proposal):
    proposal, token = sent_proposal
    forged = "data:image/png;base64," + base64.b64encode(b"<svg onload=alert(1)>").decode()
    response = client.post(url(token, "accept"), accept_data(signature=forged))
    assert "could not be read" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT and proposal.signature == ""


def test_an_expired_proposal_shows_why_and_refuses_a_crafted_accept(client, sent_proposal):
    proposal, token = sent_proposal
    expire(proposal)
    page = client.get(url(token)).content.decode()
    assert "Expired" in page and "Contact us for an updated offer." in page
    assert 'id="accept-form"' not in page
    response = client.post(url(token, "accept"), accept_data())
    assert response.status_code == 200
    assert "expired on" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.REVIEWED  # opened, never accepted
    assert not proposal_events(proposal, "proposal.accepted").exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVISED, Status.DECLINED])
def test_a_proposal_not_out_with_the_client_cannot_be_accepted(client, proposal, status):
    token = with_link(proposal, status)
    page = client.get(url(token)).content.decode()
    assert 'id="accept-form"' not in page
    client.post(url(token, "accept"), accept_data())
    proposal.refresh_from_db()
    assert proposal.status == status


# --- declining and commenting ------------------------------------------------------------

def test_declining_with_a_reason(client, sent_proposal, agent):
    proposal, token = sent_proposal
    response = client.post(url(token, "decline"), {"reason": "Over our budget"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED and proposal.decline_reason == "Over our budget"
    assert Notification.objects.filter(recipient=agent, message__contains="declined").exists()
    page = client.get(url(token)).content.decode()
    assert "Declined" in page and "Over our budget" in page
    assert 'id="decline-form"' not in page


def test_a_comment_and_the_staff_reply_show_in_the_thread(client, sent_proposal, agent):
    proposal, token = sent_proposal
    response = client.post(url(token, "comment"), {"name": "Ana Pop",
                                                   "body": "Can we start in May?"},
                           REMOTE_ADDR="203.0.113.4")
    assert response.status_code == 302
    comment = ProposalComment.objects.get(proposal=proposal)
    assert comment.from_client and comment.ip_address == "203.0.113.4"
    assert Notification.objects.filter(recipient=agent, message__contains="commented").exists()
    proposal_reply(actor=agent, proposal=proposal, body="Yes, from May 5.")
    page = client.get(url(token)).content.decode()
    assert page.index("Can we start in May?") < page.index("Yes, from May 5.")
    assert "portal-comment-staff" in page


def test_an_empty_comment_keeps_the_name_typed(client, sent_proposal):
    proposal, token = sent_proposal
    response = client.post(url(token, "comment"), {"name": "Ana from Finance", "body": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Ana from Finance"' in page and "This field is required." in page
    assert not ProposalComment.objects.exists()


def test_comments_closed_hide_the_thread_and_refuse_a_post(client, sent_proposal):
    proposal, token = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(allow_comments=False)
    assert 'id="comments-heading"' not in client.get(url(token)).content.decode()
    response = client.post(url(token, "comment"), {"name": "Ana", "body": "Hello?"})
    assert "Comments are closed" in response.content.decode()
    assert not ProposalComment.objects.exists()


# --- PDF and the staff preview -----------------------------------------------------------

def test_the_pdf_through_the_link(client, sent_proposal):
    proposal, token = sent_proposal
    response = client.get(url(token, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{proposal.number}.pdf"' in response["Content-Disposition"]
    assert client.get(url("x" * 43, "pdf")).status_code == 404


def test_the_staff_preview_renders_disabled_forms_without_a_token(sent_proposal, rf):
    proposal, _ = sent_proposal
    Proposal.objects.filter(pk=proposal.pk).update(notes="internal only")
    proposal.refresh_from_db()
    context = {**document_context(proposal), "comments": [], "preview": True}
    context.pop("total_ron")  # the contract: proposal, lines, totals, comments, company
    page = render_to_string("sales/portal/proposal.html", context, request=rf.get("/"))
    assert "Preview" in page and page.count("<fieldset disabled>") == 3
    assert f"/admin/proposals/{proposal.pk}/pdf" in page
    assert "/p/" not in page and "internal only" not in page
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_the_query_count_does_not_grow_with_lines_or_comments(client, sent_proposal,
                                                             assert_constant_queries):
    proposal, token = sent_proposal
    client.get(url(token))  # the first opening writes the Reviewed status

    def add_rows():
        lines_replace(proposal, [line(description=f"Line {n}") for n in range(12)])
        ProposalComment.objects.bulk_create(
            ProposalComment(proposal=proposal, author_name="Ana", body=f"Question {n}")
            for n in range(8))

    assert_constant_queries(url(token), add_rows)
