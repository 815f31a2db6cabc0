"""The invoice page's actions (issue, send, mark as sent, new link, cancel, delete) and the
conversions from proposals and sales orders, each a POST through the page's own buttons."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from billing.models import Invoice
from billing.services.invoices import invoice_from_order
from crmconnect.activity.models import Activity
from crmconnect.staff import roles
from sales.models import Proposal, SalesOrder
from sales.services.contracts import contract_from_proposal
from sales.services.orders import sales_order_create, sales_order_from_proposal

from ..factories import ContactFactory, InvoiceFactory, ProposalFactory, TaxedClientFactory, line
from ..forms import messages_of, rendered_form
from .test_invoice_list import pay

Status = Invoice.Status


def action_url(invoice, action):
    return f"/admin/invoices/{invoice.pk}/{action}"


def post_back(http, url, data=None):
    """POST `url` and follow the redirect: (the page it lands on, its messages)."""
    response = http.post(url, data or {})
    assert response.status_code == 302, response.status_code
    page = http.get(response["Location"])
    return page, messages_of(page)


@pytest.fixture
def eager_tasks():
    """Background jobs run where they are queued, not in a worker."""
    from crmconnect.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


# --- issue ---------------------------------------------------------------------------------

def test_issue_gives_the_first_number_of_the_series(login_as, agent, draft):
    http = login_as(agent)
    page, notes = post_back(http, action_url(draft, "issue"))
    draft.refresh_from_db()
    assert draft.number == "CRM000001" and draft.status == Status.UNPAID and not draft.sent
    assert notes == ["Invoice CRM000001 issued (Unpaid): send it to the client."]
    html = page.content.decode()
    assert "Invoice CRM000001" in html and 'data-sent="0"' in html
    assert "issued from DRAFT-" in html  # the history


def test_missing_tax_data_is_refused_with_a_link_to_the_client(login_as, agent):
    client = TaxedClientFactory(owner=agent, name="Delta Foods SRL", cui="", street="")
    invoice = InvoiceFactory(client=client, assigned_to=agent)
    page, notes = post_back(login_as(agent), action_url(invoice, "issue"))
    invoice.refresh_from_db()
    assert invoice.is_draft and not invoice.full_number
    assert "Delta Foods SRL is missing the CUI/CIF, the street and city" in notes[0]
    link = (f'<a href="{client.get_absolute_url()}" class="alert-link">Open the record of '
            f"Delta Foods SRL</a>")
    assert link in page.content.decode()  # a link, not escaped text


def test_an_empty_invoice_is_not_issued(login_as, agent, account):
    invoice = InvoiceFactory(client=account, assigned_to=agent,
                             lines=[line(unit_price=Decimal("0"))])
    _, notes = post_back(login_as(agent), action_url(invoice, "issue"))
    assert notes == ["An invoice needs a total above zero to be issued."]


# --- send ----------------------------------------------------------------------------------

def test_send_emails_the_pdf_and_shows_the_link_once(login_as, agent, account, issued,
                                                     eager_tasks,
                                                     django_capture_on_commit_callbacks):
    http = login_as(agent)
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        response = http.post(action_url(issued, "send"))
    assert response.status_code == 302
    page = http.get(response["Location"])
    issued.refresh_from_db()
    assert issued.sent and issued.sent_at is not None and issued.token_hash
    (note,) = messages_of(page)
    assert note.startswith(f"Invoice CRM000001 is being emailed to {account.email} ")
    assert "Client link: http" in note and "/i/" in note
    assert 'data-sent="1"' in page.content.decode()
    assert "Client link" not in messages_of(http.get(issued.get_absolute_url()))
    assert Activity.objects.filter(event="invoice.sent", object_id=issued.pk).exists()
    (message,) = mail.outbox
    assert message.to == [account.email] and "CRM000001" in message.subject
    (name, content, kind), = message.attachments
    assert name == "CRM000001.pdf" and kind == "application/pdf" and content[:4] == b"%PDF"


def test_send_without_an_email_address_says_what_to_do(login_as, agent, sales_admin):
    client = TaxedClientFactory(owner=agent, email="")
    ContactFactory(client=client, is_primary=True, email="")
    invoice = InvoiceFactory(client=client, assigned_to=agent)
    http = login_as(agent)
    post_back(http, action_url(invoice, "issue"))
    _, notes = post_back(http, action_url(invoice, "send"))
    assert notes == [f"{client} has no email address: add one to the client or choose a "
                     "contact with an email, then send again."]
    invoice.refresh_from_db()
    assert not invoice.sent and not invoice.token_hash


def test_send_without_mail_set_up_says_where_to_set_it(login_as, agent, issued, settings):
    settings.EMAIL_URL_GIVEN = False  # and no SMTP server in Company settings
    _, notes = post_back(login_as(agent), action_url(issued, "send"))
    assert notes == ["Email is not set up: fill in the SMTP server in Settings → Company "
                     "(Email), then send again."]
    issued.refresh_from_db()
    assert not issued.sent


def test_a_draft_is_not_sent(login_as, agent, draft):
    html = login_as(agent).get(draft.get_absolute_url()).content.decode()
    assert action_url(draft, "send") not in html
    _, notes = post_back(login_as(agent), action_url(draft, "send"))
    assert notes == ["Issue the invoice first: a draft has no number to send."]


def test_mark_as_sent_and_a_new_link(login_as, agent, issued):
    http = login_as(agent)
    page, notes = post_back(http, action_url(issued, "mark-sent"))
    assert notes == ["Invoice CRM000001 marked as sent (no email)."]
    issued.refresh_from_db()
    assert issued.sent and not mail.outbox
    assert action_url(issued, "mark-sent") not in page.content.decode()
    _, notes = post_back(http, action_url(issued, "mark-sent"))
    assert notes == ["The invoice is already marked as sent."]
    _, notes = post_back(http, action_url(issued, "link"))
    assert notes[0].startswith("New client link. Client link: http")
    before = issued.token_hash
    issued.refresh_from_db()
    assert issued.token_hash and issued.token_hash != before


# --- cancel and delete -------------------------------------------------------------------

def test_cancel_with_a_reason(login_as, sales_admin, issued):
    http = login_as(sales_admin)
    page = http.get(issued.get_absolute_url())
    action = action_url(issued, "cancel")
    data = rendered_form(page, action)
    assert data["reason"] == ""
    _, notes = post_back(http, action, data)
    assert notes == ["Nothing changed: Say why the invoice is cancelled."]
    data["reason"] = "Issued to the wrong client"
    page, notes = post_back(http, action, data)
    issued.refresh_from_db()
    assert issued.status == Status.CANCELLED and issued.cancel_reason == data["reason"]
    assert notes == ["Invoice CRM000001 cancelled."]
    html = page.content.decode()
    assert "Issued to the wrong client" in html.split('id="invoice-cancelled"')[1]
    assert action not in html and action_url(issued, "send") not in html


def test_an_invoice_with_payments_is_not_cancelled(login_as, sales_admin, issued,
                                                   bank_transfer):
    pay(sales_admin, issued, "100.00", bank_transfer)
    http = login_as(sales_admin)
    assert action_url(issued, "cancel") not in http.get(issued.get_absolute_url()).content.decode()
    _, notes = post_back(http, action_url(issued, "cancel"), {"reason": "Mistake"})
    assert "it cannot be cancelled" in notes[0]
    issued.refresh_from_db()
    assert issued.status == Status.PARTIALLY_PAID


def test_an_agent_may_not_cancel_or_delete(login_as, agent, issued, draft):
    http = login_as(agent)
    assert http.post(action_url(issued, "cancel"), {"reason": "x"}).status_code == 403
    assert http.post(action_url(draft, "delete")).status_code == 403


def test_deleting_a_draft_made_from_an_order_reopens_the_order(login_as, agent, sales_admin,
                                                               account):
    order = sales_order_create(actor=agent, client=account, lines=[line()])
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.CONFIRMED)
    invoice = invoice_from_order(actor=agent, order=order)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.INVOICED
    http = login_as(sales_admin)
    response = http.post(action_url(invoice, "delete"))
    assert response.status_code == 302 and response["Location"] == "/admin/invoices"
    assert messages_of(http.get("/admin/invoices")) == [
        f"Draft invoice {invoice.number} deleted. Sales order {order.number} can be invoiced "
        "again."]
    assert not Invoice.objects.exists()
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CONFIRMED


def test_an_issued_invoice_is_not_deleted(login_as, sales_admin, issued):
    _, notes = post_back(login_as(sales_admin), action_url(issued, "delete"))
    assert "it cannot be changed" in notes[0]
    assert Invoice.objects.filter(pk=issued.pk).exists()


# --- conversions ---------------------------------------------------------------------------

@pytest.fixture
def accepted(agent, account):
    proposal = ProposalFactory(client=account, assigned_to=agent, subject="Audit 2026")
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    proposal.refresh_from_db()
    return proposal


def proposal_actions(http, proposal):
    html = http.get(proposal.get_absolute_url()).content.decode()
    return html.split('id="proposal-actions"')[1].split("</div>\n</div>")[0]


def order_actions(http, order):
    html = http.get(order.get_absolute_url()).content.decode()
    return html.split('id="order-actions"')[1].split("</div>\n</div>")[0]


def test_convert_an_accepted_proposal_from_its_page(login_as, agent, accepted):
    http = login_as(agent)
    url = f"/admin/invoices/from-proposal/{accepted.pk}"
    actions = proposal_actions(http, accepted)
    assert f'action="{url}"' in actions and "Convert to Invoice" in actions
    assert "All lines are copied." in actions and "A contract exists" not in actions
    response = http.post(url)
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == invoice.get_absolute_url()
    assert invoice.proposal == accepted and invoice.is_draft
    assert [line.description for line in invoice.lines.all()] == ["Audit", "Training"]
    assert invoice.total == accepted.total
    actions = proposal_actions(http, accepted)
    assert "Convert to Invoice" not in actions
    assert f'href="{invoice.get_absolute_url()}"' in actions
    _, notes = post_back(http, url)
    assert notes == [f"This proposal is already invoice {invoice.number}."]


def test_with_a_contract_the_confirmation_warns_about_the_audit_trail(login_as, agent,
                                                                      accepted):
    contract_from_proposal(actor=agent, proposal=accepted)
    actions = proposal_actions(login_as(agent), accepted)
    assert ("A contract exists: the audit trail should be Proposal → Sales Order → Contract "
            "→ Invoice") in actions


def test_a_proposal_not_accepted_or_already_ordered_is_not_converted(login_as, agent,
                                                                     accepted, account):
    sent = ProposalFactory(client=account, assigned_to=agent)
    http = login_as(agent)
    assert "Convert to Invoice" not in proposal_actions(http, sent)
    page, notes = post_back(http, f"/admin/invoices/from-proposal/{sent.pk}")
    assert notes == ["Only an accepted proposal converts to an invoice."]
    assert page.request["PATH_INFO"] == sent.get_absolute_url()
    order = sales_order_from_proposal(actor=agent, proposal=accepted)
    assert "Convert to Invoice" not in proposal_actions(http, accepted)
    _, notes = post_back(http, f"/admin/invoices/from-proposal/{accepted.pk}")
    assert notes[0].startswith(f"This proposal became sales order {order.number}")
    assert not Invoice.objects.exists()


def test_convert_a_confirmed_order_from_its_page(login_as, agent, account):
    order = sales_order_create(actor=agent, client=account,
                              lines=[line(description="Licences", quantity=Decimal(2))])
    http = login_as(agent)
    url = f"/admin/invoices/from-order/{order.pk}"
    assert "Convert to Invoice" not in order_actions(http, order)  # still New
    _, notes = post_back(http, url)
    assert notes == ["A sales order that is New cannot do that."]
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.CONFIRMED)
    actions = order_actions(http, order)
    assert f'action="{url}"' in actions and "Convert to Invoice" in actions
    response = http.post(url)
    invoice = Invoice.objects.get()
    assert response["Location"] == invoice.get_absolute_url()
    assert invoice.sales_order == order and invoice.total == Decimal("242.00")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.INVOICED
    actions = order_actions(http, order)
    assert "Convert to Invoice" not in actions
    assert f'href="{invoice.get_absolute_url()}"' in actions


def test_a_role_without_invoices_may_not_convert(login_as, make_user, accepted):
    http = login_as(make_user(roles.SDR))
    assert http.post(f"/admin/invoices/from-proposal/{accepted.pk}").status_code == 403
    assert not Invoice.objects.exists()


# --- method and scope ------------------------------------------------------------------------

POST_ONLY = ["issue", "send", "mark-sent", "link", "cancel", "delete"]


@pytest.mark.parametrize("action", POST_ONLY)
def test_a_get_on_an_action_answers_405(login_as, admin_user, draft, action):
    assert login_as(admin_user).get(action_url(draft, action)).status_code == 405


def test_a_get_on_a_conversion_answers_405(login_as, admin_user, accepted):
    http = login_as(admin_user)
    assert http.get(f"/admin/invoices/from-proposal/{accepted.pk}").status_code == 405
    assert http.get(f"/admin/invoices/from-order/{accepted.pk}").status_code == 405


@pytest.mark.parametrize("action", ["issue", "send", "mark-sent", "link"])
def test_another_agents_invoice_is_404(login_as, other_agent, issued, action):
    assert login_as(other_agent).post(action_url(issued, action)).status_code == 404
    issued.refresh_from_db()
    assert not issued.sent


def test_another_agents_proposal_is_404(login_as, other_agent, accepted):
    assert login_as(other_agent).post(
        f"/admin/invoices/from-proposal/{accepted.pk}").status_code == 404
