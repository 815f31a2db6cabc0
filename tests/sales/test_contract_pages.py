"""The contract form (independently or from an accepted proposal), the contract page and its
actions, driven through the rendered forms and the POST endpoints."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crmconnect.activity.models import Activity, Attachment
from sales.models import Contract, ContractStatus, ContractType, Proposal
from sales.services import contracts as services

from ..factories import ClientFactory, ItemFactory, line, vat_rate
from ..forms import fill_line, messages_of, rendered_form

Kind = ContractStatus.Kind
ADD_URL = "/admin/contracts/add"
POST_ACTIONS = ["send", "signed-manually", "status", "revision", "renew", "delete",
                "attachments/add"]
SCAN = b"%PDF-1.4 scanned signed copy"


def make_contract(actor, client, **values):
    """A draft contract through the service: one year from today, 1,200 RON, no lines."""
    today = timezone.localdate()
    defaults = {"subject": "Support 2025", "start_date": today,
                "end_date": today + datetime.timedelta(days=364), "value": Decimal("1200.00")}
    return services.contract_create(actor=actor, client=client, **{**defaults, **values})


def activate(contract, **values):
    """Active and signed, as after signing (without the PDF)."""
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.first_of(Kind.ACTIVE), signed_at=timezone.now(),
        signer_name="Maria Ionescu", **values)
    contract.refresh_from_db()
    return contract


def url(contract, action=""):
    return f"/admin/contracts/{contract.pk}" + (f"/{action}" if action else "")


def scan(name="signed.pdf", content=SCAN):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def vat21(db):
    return vat_rate("21")


@pytest.fixture
def contract(agent, account):
    return make_contract(agent, account)


@pytest.fixture
def accepted_proposal(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.ACCEPTED, accepted_at=timezone.now(), terms="Net 30",
        content="<p>Our offer</p>")
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- create and edit ---------------------------------------------------------------------------

def test_create_without_lines_keeps_the_typed_value(login_as, agent, account, vat21):
    client = login_as(agent)
    page = client.get(f"{ADD_URL}?client={account.pk}")
    data = rendered_form(page)
    assert data["client"] == str(account.pk)
    assert data["start_date"] == timezone.localdate().isoformat()
    support = ContractType.objects.get(name="Maintenance and support (SLA)")
    data.update(subject="Hosting SLA", contract_type=str(support.pk), value="4800",
                end_date=(timezone.localdate() + datetime.timedelta(days=365)).isoformat(),
                content="<p>The provider hosts…</p><script>alert(1)</script>")
    response = client.post(f"{ADD_URL}?client={account.pk}", data)
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == contract.get_absolute_url()
    assert contract.value == Decimal("4800.00") and not contract.lines.exists()
    assert contract.status.kind == Kind.DRAFT and contract.assigned_to == agent
    assert contract.contract_type == support and "<script" not in contract.content
    assert Activity.objects.filter(event="contract.created", object_id=contract.pk).exists()


def test_create_with_lines_takes_their_total_as_value(login_as, agent, account, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Audit", client=str(account.pk), value="1")
    fill_line(data, 0, description="Security audit", quantity="4", unit_price="250", vat="21:S")
    assert client.post(ADD_URL, data).status_code == 302
    contract = Contract.objects.get()
    assert contract.lines.count() == 1
    assert contract.value == contract.total == Decimal("1210.00")


def test_create_shows_errors_with_the_input(login_as, agent, account, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Backwards", client=str(account.pk),
                start_date="2025-06-01", end_date="2025-05-01")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Contract.objects.exists()
    html = response.content.decode()
    assert "The end date is before the start date." in html and 'value="Backwards"' in html
    data.update(client="", end_date="")
    assert "This field is required." in client.post(ADD_URL, data).content.decode()


def test_create_for_a_client_out_of_scope_is_refused(login_as, agent, other_agent, vat21):
    theirs = make_contract(other_agent, ClientFactory(owner=other_agent))
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Not mine", client=str(theirs.client_id))
    assert client.post(ADD_URL, data).status_code == 200
    assert Contract.objects.count() == 1


def test_edit_through_the_rendered_form(login_as, agent, contract, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(url(contract, "edit")))
    assert data["subject"] == "Support 2025" and data["value"] == "1200.00"
    data.update(subject="Support 2026", renewal_terms="Renews for a year unless ended.")
    assert client.post(url(contract, "edit"), data).status_code == 302
    contract.refresh_from_db()
    assert contract.subject == "Support 2026" and contract.renewal_terms.startswith("Renews")
    row = Activity.objects.get(event="contract.updated", object_id=contract.pk)
    assert row.changes["subject"] == ["Support 2025", "Support 2026"]


def test_edit_of_a_signed_contract_is_refused_with_the_message(login_as, agent, contract):
    activate(contract)
    client = login_as(agent)
    response = client.get(url(contract, "edit"), follow=True)
    assert response.redirect_chain == [(f"{url(contract)}#revise", 302)]
    html = response.content.decode()
    assert services.SIGNED_REFUSAL in messages_of(response)
    assert "create an amendment or a new version" in html
    assert f'action="{url(contract, "revision")}"' in html
    assert 'value="amendment"' in html and 'value="version"' in html
    assert f'href="{url(contract, "edit")}"' not in html  # no Edit button
    posted = client.post(url(contract, "edit"), {"subject": "Changed"}, follow=True)
    assert services.SIGNED_REFUSAL in messages_of(posted)
    contract.refresh_from_db()
    assert contract.subject == "Support 2025"


# --- from a proposal ----------------------------------------------------------------------------

def test_create_contract_from_an_accepted_proposal(login_as, agent, accepted_proposal):
    client = login_as(agent)
    page = client.get(accepted_proposal.get_absolute_url()).content.decode()
    action = f"/admin/contracts/from-proposal/{accepted_proposal.pk}"
    assert f'action="{action}"' in page and "Create Contract" in page
    response = client.post(action, follow=True)
    contract = Contract.objects.get()
    assert response.redirect_chain == [(url(contract, "edit"), 302)]
    assert contract.proposal == accepted_proposal and contract.client == accepted_proposal.client
    assert contract.value == accepted_proposal.total
    assert contract.terms == "Net 30" and contract.content == "<p>Our offer</p>"
    assert ([(row.description, row.quantity) for row in contract.lines.all()]
            == [(row.description, row.quantity) for row in accepted_proposal.lines.all()])
    assert "created from proposal" in messages_of(response)[0]
    # The proposal page now links the contract instead of offering a second one.
    page = client.get(accepted_proposal.get_absolute_url()).content.decode()
    assert f'href="{contract.get_absolute_url()}"' in page and f'action="{action}"' not in page
    again = client.post(action, follow=True)
    assert f"This proposal already has contract {contract.number}." in messages_of(again)
    assert Contract.objects.count() == 1


def test_the_contract_page_shows_the_trail_back_to_the_proposal(login_as, agent,
                                                                accepted_proposal):
    contract = services.contract_from_proposal(actor=agent, proposal=accepted_proposal)
    html = login_as(agent).get(url(contract)).content.decode()
    trail = html.split('id="document-trail"')[1].split("</nav>")[0]
    assert accepted_proposal.number in trail and accepted_proposal.get_absolute_url() in trail


def test_no_contract_button_before_acceptance(login_as, agent, proposal):
    page = login_as(agent).get(proposal.get_absolute_url()).content.decode()
    assert "Create Contract" not in page
    response = login_as(agent).post(f"/admin/contracts/from-proposal/{proposal.pk}", follow=True)
    assert "Only an accepted proposal becomes a contract." in messages_of(response)
    assert not Contract.objects.exists()


def test_from_proposal_is_post_only_and_in_scope(login_as, agent, other_agent,
                                                 accepted_proposal):
    action = f"/admin/contracts/from-proposal/{accepted_proposal.pk}"
    assert login_as(agent).get(action).status_code == 405
    assert login_as(other_agent).post(action).status_code == 404
    assert not Contract.objects.exists()


# --- the page and its actions -------------------------------------------------------------------

@pytest.mark.parametrize("action", POST_ACTIONS)
def test_actions_answer_405_to_get(login_as, manager, contract, action):
    assert login_as(manager).get(url(contract, action)).status_code == 405


@pytest.mark.parametrize("action", POST_ACTIONS)
def test_actions_on_another_agents_contract_are_refused(login_as, other_agent, contract,
                                                        action):
    assert login_as(other_agent).post(url(contract, action)).status_code in (403, 404)
    assert Contract.objects.filter(pk=contract.pk, status__kind=Kind.DRAFT).exists()


def _actions_html(response):
    return response.content.decode().split('id="contract-actions"')[1].split("</div>\n</div>")[0]


def test_the_page_of_a_draft(login_as, agent, manager, contract):
    Contract.objects.filter(pk=contract.pk).update(content="<p>Clause 1</p><img src=x onerror=1>")
    response = login_as(agent).get(url(contract))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>Clause 1</p>" in html and "onerror" not in html
    assert 'data-status="draft"' in html and 'data-signed="no"' in html
    actions = _actions_html(response)
    for action in ("edit", "send", "pdf"):
        assert f'"{url(contract, action)}"' in actions
    for action in ("signed-pdf", "renew", "delete"):  # not signed; agents do not delete
        assert f'"{url(contract, action)}"' not in actions
    assert "Mark signed manually" in actions
    assert f'"{url(contract, "delete")}"' in _actions_html(login_as(manager).get(url(contract)))


def test_the_page_of_a_signed_contract(login_as, agent, contract):
    activate(contract, signed_ip="203.0.113.9")
    response = login_as(agent).get(url(contract))
    actions = _actions_html(response)
    assert f'"{url(contract, "renew")}"' in actions
    for action in ("edit", "send", "delete"):
        assert f'"{url(contract, action)}"' not in actions
    assert "Mark signed manually" not in actions
    html = response.content.decode()
    assert 'data-status="active"' in html and 'data-signed="online"' in html
    assert "Signed online by Maria Ionescu" in html and "IP 203.0.113.9" in html


def test_another_agents_contract_is_404(login_as, other_agent, contract):
    assert login_as(other_agent).get(url(contract)).status_code == 404
    assert login_as(other_agent).get(url(contract, "pdf")).status_code == 404


def test_send_for_signature_shows_the_link_once(login_as, agent, contract,
                                                django_capture_on_commit_callbacks):
    client = login_as(agent)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url(contract, "send"), follow=True)
    [message] = messages_of(response)
    assert message.startswith("Sent for signature. Signing link: http")
    link = message.split("Signing link: ")[1].split(" ")[0]
    assert "/p/contract/" in link
    assert len(callbacks) == 1  # the email goes out through Celery once committed
    contract.refresh_from_db()
    assert contract.sent_for_signature_at is not None and contract.token_hash
    html = client.get(url(contract)).content.decode()
    assert link not in html and 'data-signed="sent"' in html


def test_send_for_signature_needs_an_email(login_as, agent, account, contract):
    account.contacts.update(email="")
    type(account).objects.filter(pk=account.pk).update(email="")
    response = login_as(agent).post(url(contract, "send"), follow=True)
    assert "Neither the contact nor the client has an email address" in messages_of(response)[0]


def test_mark_signed_manually(login_as, agent, contract, storage):
    client = login_as(agent)
    response = client.post(url(contract, "signed-manually"), {
        "signed-signer_name": "Maria Ionescu", "signed-signed_on": timezone.localdate(),
        "signed-scan": scan()}, follow=True)
    contract.refresh_from_db()
    assert contract.status.kind == Kind.ACTIVE and contract.signed_manually
    assert contract.signer_name == "Maria Ionescu"
    assert contract.signed_pdf.read().startswith(b"%PDF")
    attachment = Attachment.objects.get()
    assert attachment.record == contract and attachment.name == "signed.pdf"
    assert "recorded as signed on paper: it is now Active" in messages_of(response)[0]
    html = response.content.decode()
    assert 'data-signed="paper"' in html and url(contract, "signed-pdf") in html


def test_mark_signed_manually_needs_the_scan(login_as, agent, contract):
    response = login_as(agent).post(url(contract, "signed-manually"), {
        "signed-signer_name": "Maria Ionescu", "signed-signed_on": timezone.localdate()},
        follow=True)
    assert "Attach the scanned signed copy." in messages_of(response)[0]
    contract.refresh_from_db()
    assert not contract.is_signed


def test_change_status(login_as, agent, contract):
    client = login_as(agent)
    active = ContractStatus.first_of(Kind.ACTIVE)
    refused = client.post(url(contract, "status"), {"status": active.pk}, follow=True)
    assert "becomes active when it is signed" in messages_of(refused)[0]
    terminated = ContractStatus.first_of(Kind.TERMINATED)
    response = client.post(url(contract, "status"), {"status": terminated.pk}, follow=True)
    assert messages_of(response) == [f"Contract {contract.number} is now Terminated."]
    contract.refresh_from_db()
    assert contract.status == terminated


def test_amendment_and_new_version(login_as, agent, vat21):
    contract = make_contract(agent, ClientFactory(owner=agent),
                             lines=[line(description="Support", unit_price=Decimal("100"))])
    activate(contract)
    client = login_as(agent)
    response = client.post(url(contract, "revision"), {"revision": "amendment"})
    amendment = Contract.objects.get(previous=contract)
    assert response["Location"] == url(amendment, "edit")
    assert amendment.revision == "amendment" and amendment.status.kind == Kind.DRAFT
    assert amendment.subject.startswith(f"Amendment to {contract.number}")
    assert [row.description for row in amendment.lines.all()] == ["Support"]
    client.post(url(contract, "revision"), {"revision": "version"})
    version = Contract.objects.get(previous=contract, revision="version")
    assert version.number == f"CTR-{version.pk:06d} v2"
    versions = client.get(url(contract)).context["versions"]
    assert versions == [amendment, version]
    assert client.get(url(amendment)).context["versions"] == [contract, version]
    bad = client.post(url(contract, "revision"), {"revision": ""}, follow=True)
    assert messages_of(bad)[0].startswith("Nothing changed")


def test_renew_makes_a_renewal_proposal_with_lines(login_as, agent, account, vat21):
    item = ItemFactory(name="Hosting", unit_price=Decimal("80"))
    contract = make_contract(agent, account, renewal_terms="Another year.",
                             lines=[line(item, quantity=Decimal(12))])
    activate(contract)
    response = login_as(agent).post(url(contract, "renew"), follow=True)
    proposal = Proposal.objects.get()
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert proposal.client == account and proposal.status == Proposal.Status.DRAFT
    assert proposal.subject == "Renewal: Support 2025"
    [renewed] = proposal.lines.all()
    assert renewed.item == item and renewed.quantity == Decimal(12)
    assert "Another year." in proposal.content


def test_delete_an_unsigned_contract_but_never_a_signed_one(login_as, manager, agent,
                                                            account):
    draft, signed = make_contract(agent, account), activate(make_contract(agent, account))
    client = login_as(manager)
    response = client.post(url(draft, "delete"), follow=True)
    assert response.redirect_chain == [("/admin/contracts", 302)]
    assert not Contract.objects.filter(pk=draft.pk).exists()
    refused = client.post(url(signed, "delete"), follow=True)
    assert "A signed contract is part of the client's record" in messages_of(refused)[0]
    assert Contract.objects.filter(pk=signed.pk).exists()
    assert login_as(agent).post(url(signed, "delete")).status_code == 403  # no permission


def test_download_the_current_pdf(login_as, agent, contract):
    response = login_as(agent).get(url(contract, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert f'filename="{contract.number}.pdf"' in response["Content-Disposition"]


def test_signed_pdf_only_for_who_may_see_the_contract(login_as, agent, other_agent, manager,
                                                      contract, storage):
    assert login_as(agent).get(url(contract, "signed-pdf")).status_code == 404  # not signed
    services.contract_mark_signed_manually(actor=agent, contract=contract, signer_name="Maria",
                                           signed_on=timezone.localdate(), scan=scan())
    contract.refresh_from_db()
    for user in (agent, manager):
        response = login_as(user).get(url(contract, "signed-pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login_as(other_agent).get(url(contract, "signed-pdf")).status_code == 404
    # The archived file is not published under the media URL on the page.
    html = login_as(agent).get(url(contract)).content.decode()
    assert contract.signed_pdf.name not in html


def test_attach_and_remove_a_file(login_as, agent, contract, storage):
    client = login_as(agent)
    response = client.post(url(contract, "attachments/add"), {"attachment-file": scan("annex.pdf")})
    assert response["Location"].endswith("#attachments")
    attachment = Attachment.objects.get()
    assert attachment.record == contract and attachment.client == contract.client
    html = client.get(url(contract)).content.decode()
    assert "annex.pdf" in html and f"/admin/contracts/attachments/{attachment.pk}/delete" in html
    fake = client.post(url(contract, "attachments/add"),
                       {"attachment-file": scan("evil.pdf", b"MZ")}, follow=True)
    assert "not a real .pdf file" in messages_of(fake)[0]
    assert client.get(f"/admin/contracts/attachments/{attachment.pk}/delete").status_code == 405
    client.post(f"/admin/contracts/attachments/{attachment.pk}/delete")
    assert not Attachment.objects.exists()


def test_a_proposal_file_is_not_removed_through_a_contract_url(login_as, agent, proposal,
                                                               storage):
    from sales.services.attachments import proposal_attachment_add

    attachment = proposal_attachment_add(actor=agent, proposal=proposal, upload=scan())
    response = login_as(agent).post(f"/admin/contracts/attachments/{attachment.pk}/delete")
    assert response.status_code == 404 and Attachment.objects.exists()


def test_history_lists_the_contracts_activity(login_as, agent, contract):
    client = login_as(agent)
    client.post(url(contract, "status"),
                {"status": ContractStatus.first_of(Kind.TERMINATED).pk})
    rows = client.get(url(contract)).context["history_rows"]
    assert [row.event for row in rows] == ["contract.status_changed", "contract.created"]


# --- the widgets --------------------------------------------------------------------------------

def test_expiring_widget_lists_own_active_contracts_ending_soon(login_as, agent, other_agent,
                                                                account):
    today = timezone.localdate()
    soon = activate(make_contract(agent, account, subject="Ends soon",
                                  end_date=today + datetime.timedelta(days=20)))
    activate(make_contract(agent, account, subject="Ends later",
                           end_date=today + datetime.timedelta(days=50)))
    activate(make_contract(agent, account, subject="Far away",
                           end_date=today + datetime.timedelta(days=200)))
    make_contract(agent, account, subject="Draft ending",
                  end_date=today + datetime.timedelta(days=10))
    theirs = ClientFactory(owner=other_agent)
    activate(make_contract(other_agent, theirs, subject="Theirs ending",
                           end_date=today + datetime.timedelta(days=5)))
    html = login_as(agent).get("/admin").content.decode()
    widget = html.split('id="expiring-contracts"')[1].split("</ul>")[0]
    assert widget.index("Ends soon") < widget.index("Ends later")
    assert "Far away" not in widget and "Draft ending" not in widget
    assert "Theirs ending" not in widget
    assert soon.get_absolute_url() in widget and 'data-days-left="20"' in widget
    assert '/admin/contracts?expires=60">2 contracts ending within 60 days<' in html


def test_client_tab_lists_its_contracts(login_as, agent, account, other_agent):
    make_contract(agent, account, subject="Our SLA")
    make_contract(other_agent, ClientFactory(owner=other_agent),
                  subject="Elsewhere")
    html = login_as(agent).get(account.get_absolute_url()).content.decode()
    tab = html.split("data-client-contracts")[1].split("</table>")[0]
    assert "Our SLA" in tab and "Elsewhere" not in tab
    assert f"/admin/contracts/add?client={account.pk}" in html
    assert f"/admin/contracts?client={account.pk}" in html
