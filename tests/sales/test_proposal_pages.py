"""The proposal form (create from a lead, an opportunity, a client or a template; edit) and
the proposal page, driven through the rendered forms."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from crmconnect.activity.models import Activity
from crmconnect.clients.models import Contact
from sales.models import ClientPricing, PriceListEntry, Proposal, ProposalTemplate
from sales.services.lines import lines_replace

from ..factories import (
    ClientFactory,
    ContactFactory,
    ItemFactory,
    LeadFactory,
    OpportunityFactory,
    PriceListFactory,
    ProposalFactory,
    line,
    vat_rate,
)
from ..forms import fill_line, messages_of, rendered_form
from .conftest import with_link

ADD_URL = "/admin/proposals/add"


@pytest.fixture
def vat21(db):
    return vat_rate("21")


# --- create -----------------------------------------------------------------------------------

def test_create_by_hand_through_the_rendered_form(login_as, agent, account, vat21):
    client = login_as(agent)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    data = rendered_form(page)
    assert data["lines-TOTAL_FORMS"] == "1" and data["lines-0-vat"] == "21:S"
    data.update(subject="Website redesign", client=str(account.pk))
    fill_line(data, 0, description="Design", quantity="3", unit="day", unit_price="400")
    response = client.post(ADD_URL, data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.status == Proposal.Status.DRAFT and proposal.assigned_to == agent
    assert proposal.total == Decimal("1452.00")  # 1200 + 21 % VAT
    # Addressed to the client's primary contact when nobody was typed in.
    assert proposal.recipient_email == "maria@alfa.example.com"
    assert Activity.objects.filter(event="proposal.created", object_id=proposal.pk).exists()


def test_create_from_a_lead_fills_in_the_addressee(login_as, agent, vat21):
    lead = LeadFactory(assigned_to=agent, name="Ion Popa", company="Popa Logistics SRL",
                       email="ion@popa.example.com", currency="EUR")
    client = login_as(agent)
    page = client.get(f"{ADD_URL}?lead={lead.pk}")
    data = rendered_form(page)
    assert data["lead"] == str(lead.pk)
    assert data["recipient_name"] == "Ion Popa"
    assert data["recipient_email"] == "ion@popa.example.com"
    assert data["currency"] == "EUR" and data["client"] == ""
    assert data["subject"] == "Proposal for Popa Logistics SRL"
    fill_line(data, 0, description="Fleet audit", unit_price="900")
    assert client.post(f"{ADD_URL}?lead={lead.pk}", data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.lead == lead and proposal.client is None
    assert proposal.recipient == "Ion Popa" and proposal.currency == "EUR"


def test_create_from_an_opportunity_with_a_client(login_as, agent, account, vat21):
    opportunity = OpportunityFactory(assigned_to=agent, client=account, value=Decimal("4800"),
                                     currency="RON", description="Annual support\nDetails",
                                     email="", phone="0722 000 111")
    client = login_as(agent)
    page = client.get(f"{ADD_URL}?lead={opportunity.pk}")
    data = rendered_form(page)
    primary = Contact.objects.get(client=account, is_primary=True)
    assert data["client"] == str(account.pk) and data["contact"] == str(primary.pk)
    assert data["lead"] == str(opportunity.pk)
    # The opportunity's value is the first line.
    assert data["lines-0-description"] == "Annual support"
    assert Decimal(data["lines-0-unit_price"]) == Decimal("4800")
    assert data["recipient_email"] == "maria@alfa.example.com"  # the lead has none
    assert client.post(f"{ADD_URL}?lead={opportunity.pk}", data).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.client, proposal.contact, proposal.lead) == (account, primary, opportunity)
    assert proposal.subtotal == Decimal("4800.00")


def test_a_lead_out_of_scope_is_not_prefilled(login_as, agent, other_agent):
    lead = LeadFactory(assigned_to=other_agent)
    page = login_as(agent).get(f"{ADD_URL}?lead={lead.pk}")
    assert rendered_form(page)["lead"] == ""


def test_create_from_a_template_copies_its_content_and_lines(login_as, agent, account, vat21):
    item = ItemFactory(name="Monthly hosting", unit="month", unit_price=Decimal("120"))
    template = ProposalTemplate.objects.create(name="Monthly care pack", subject="Monthly care",
                                               content="<p>Dear client,</p>", terms="Net 30")
    template.discount_percent = Decimal(0)
    lines_replace(template, [line(item, quantity=Decimal(12)),
                             line(description="Setup", unit_price=Decimal("300"))])
    client = login_as(agent)
    page = client.get(f"{ADD_URL}?client={account.pk}&template={template.pk}")
    assert f'<option value="{template.pk}" selected>' in page.content.decode()
    data = rendered_form(page)
    assert data["subject"] == "Monthly care" and data["terms"] == "Net 30"
    assert data["content"] == "<p>Dear client,</p>"
    assert data["template"] == str(template.pk) and data["client"] == str(account.pk)
    assert data["lines-TOTAL_FORMS"] == "3"  # two lines and a blank row
    assert data["lines-0-item"] == str(item.pk) and data["lines-0-quantity"] == "12.000"
    response = client.post(f"{ADD_URL}?client={account.pk}&template={template.pk}", data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.template == template
    assert [(row.description, row.quantity, row.item) for row in proposal.lines.all()] == [
        ("Monthly hosting", Decimal("12.000"), item), ("Setup", Decimal("1.000"), None)]
    assert proposal.subtotal == Decimal("1740.00")


def test_the_client_price_from_the_item_quote_is_kept(login_as, agent, account, vat21):
    """The line editor asks the quote endpoint for the client's price, then posts it."""
    item = ItemFactory(code="SUP-1", name="Support hour", unit_price=Decimal("200"))
    price_list = PriceListFactory(name="Key accounts")
    PriceListEntry.objects.create(price_list=price_list, item=item, unit_price=Decimal("150"))
    ClientPricing.objects.create(client=account, price_list=price_list)
    client = login_as(agent)
    found = client.get("/admin/items/autocomplete", {"q": "SUP"}).json()
    assert [row["id"] for row in found] == [item.pk]
    quote = client.get("/admin/items/quote", {"item": item.pk, "client": account.pk,
                                              "quantity": "10", "currency": "RON"}).json()
    assert Decimal(quote["unit_price"]) == Decimal("150") and "Key accounts" in (
        quote["price_source"])
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Support pack", client=str(account.pk))
    fill_line(data, 0, item=item.pk, description=quote["description"], quantity="10",
              unit=quote["unit"], unit_price=quote["unit_price"],
              discount_percent=quote["discount_percent"],
              vat=f"{Decimal(quote['vat_rate']).normalize():f}:{quote['vat_category']}",
              price_source=quote["price_source"])
    assert client.post(ADD_URL, data).status_code == 302
    stored = Proposal.objects.get().lines.get()
    assert (stored.item, stored.unit_price) == (item, Decimal("150.0000"))
    assert "Key accounts" in stored.price_source
    page = client.get(Proposal.objects.get().get_absolute_url()).content.decode()
    assert escape(stored.price_source) in page  # staff see where the price came from


def test_errors_show_again_with_what_was_typed(login_as, agent, account, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Half done", client=str(account.pk), recipient_email="not-an-email")
    fill_line(data, 0, description="Training", quantity="2", unit_price="abc")
    fill_line(data, 1, description="Travel costs", quantity="0", unit_price="80",
              vat="21:S")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Proposal.objects.exists()
    lines = response.context["formset"]
    assert "unit_price" in lines.forms[0].errors and "quantity" in lines.forms[1].errors
    again = rendered_form(response)
    assert again["subject"] == "Half done" and again["recipient_email"] == "not-an-email"
    assert again["lines-0-unit_price"] == "abc" and again["lines-1-description"] == "Travel costs"
    assert "Please correct the fields marked below" in response.content.decode()


def test_a_proposal_needs_a_line(login_as, agent, account, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Empty", client=str(account.pk))
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "Add at least one line." in response.content.decode()


def test_a_client_out_of_scope_cannot_be_chosen(login_as, agent, other_agent, vat21):
    foreign = ClientFactory(owner=other_agent)
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Poach", client=str(foreign.pk))
    fill_line(data, 0, description="x", unit_price="1")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "client" in response.context["form"].errors


def test_the_client_picker_is_bounded(login_as, manager, settings):
    from sales import queries

    ClientFactory.create_batch(3)
    client = login_as(manager)
    page = client.get(ADD_URL).content.decode()
    assert page.count('data-client-select') == 1 and "data-search-url" not in page
    queries.CLIENT_CHOICES_MAX, before = 2, queries.CLIENT_CHOICES_MAX
    try:
        bounded = client.get(ADD_URL)
    finally:
        queries.CLIENT_CHOICES_MAX = before
    select = bounded.context["form"].fields["client"].widget
    assert [value for value, _ in select.choices] == [""]  # a search instead of 3 options
    assert "data-search-url" in bounded.content.decode()


def test_client_search_and_contacts_lookups(login_as, agent, account, other_agent):
    ClientFactory(owner=other_agent, name="Alfa Other SRL")
    client = login_as(agent)
    found = client.get("/admin/proposals/clients", {"q": "alfa"}).json()["results"]
    assert [row["name"] for row in found] == ["Alfa Consulting SRL"]
    contacts = client.get(f"/admin/proposals/clients/{account.pk}/contacts").json()
    assert contacts["currency"] == "RON"
    assert [(row["name"], row["primary"]) for row in contacts["contacts"]] == [
        ("Maria Ionescu", True)]
    foreign = ClientFactory(owner=other_agent)
    assert client.get(f"/admin/proposals/clients/{foreign.pk}/contacts").status_code == 404


def test_only_roles_with_the_permission_create(login_as, make_user):
    from crmconnect.staff import roles

    sdr = make_user(roles.SDR)
    assert login_as(sdr).get(ADD_URL).status_code == 403
    assert login_as(sdr).get("/admin/proposals").status_code == 403


# --- edit ------------------------------------------------------------------------------------

def test_editing_a_sent_proposal_makes_it_revised(login_as, agent, proposal, vat21):
    with_link(proposal)
    client = login_as(agent)
    page = client.get(f"/admin/proposals/{proposal.pk}/edit")
    assert "makes it <strong>Revised</strong>" in page.content.decode()
    data = rendered_form(page)
    assert data["lines-TOTAL_FORMS"] == "3" and data["lines-INITIAL_FORMS"] == "2"
    data["lines-1-DELETE"] = "on"
    data["subject"] = "Audit only"
    response = client.post(f"/admin/proposals/{proposal.pk}/edit", data, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REVISED and proposal.subject == "Audit only"
    assert [row.description for row in proposal.lines.all()] == ["Audit"]
    assert proposal.total == Decimal("363.00")
    assert any("now Revised" in message for message in messages_of(response))


def test_accepted_and_declined_proposals_cannot_be_edited(login_as, agent, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED)
    response = login_as(agent).get(f"/admin/proposals/{proposal.pk}/edit", follow=True)
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert "cannot be edited" in " ".join(messages_of(response))


# --- the page ----------------------------------------------------------------------------------

def test_the_page_shows_the_totals_of_the_lines(login_as, agent, account):
    proposal = ProposalFactory(client=account, assigned_to=agent, currency="EUR",
                               exchange_rate=Decimal("4.9750"), discount_percent=Decimal(10),
                               lines=[line(unit_price=Decimal("333.33"), quantity=Decimal(3)),
                                      line(unit_price=Decimal("99.99"), vat_rate=Decimal(11))])
    totals = proposal.totals()
    page = login_as(agent).get(proposal.get_absolute_url())
    html = page.content.decode()
    assert page.context["totals"] == totals
    for label, amount in [("subtotal", totals.subtotal), ("total", totals.total)]:
        assert f'data-total="{label}">{amount:,.2f} EUR' in html
    for group in totals.vat_groups:
        assert f"{group.vat:,.2f} EUR" in html
    assert "In RON" in html


def test_an_agent_gets_404_on_another_agents_proposal(login_as, other_agent, proposal):
    client = login_as(other_agent)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(f"/admin/proposals/{proposal.pk}/edit").status_code == 404
    assert client.get(f"/admin/proposals/{proposal.pk}/pdf").status_code == 404


def test_the_page_offers_the_actions_the_status_allows(login_as, agent, proposal):
    client = login_as(agent)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert f"/admin/proposals/{proposal.pk}/send" in html
    assert f"/admin/proposals/{proposal.pk}/mark-sent" in html
    assert "Convert to Sales Order" not in html
    assert f"/admin/proposals/{proposal.pk}/delete" not in html  # agents do not delete
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED,
                                                   accepted_at=timezone.now())
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Convert to Sales Order" in html and "/edit" not in html
    assert f"/admin/proposals/{proposal.pk}/send" not in html


def test_lead_record_offers_a_proposal_and_lists_them(login_as, agent, vat21):
    lead = LeadFactory(assigned_to=agent)
    ProposalFactory(lead=lead, client=None, assigned_to=agent, subject="For the lead")
    page = login_as(agent).get(lead.get_absolute_url()).content.decode()
    assert f'href="/admin/proposals/add?lead={lead.pk}"' in page
    assert "For the lead" in page and 'id="proposals-tab"' in page


def test_contacts_are_those_of_the_chosen_client(login_as, agent, account):
    other = ClientFactory(owner=agent)
    stranger = ContactFactory(client=other)
    form = login_as(agent).get(f"{ADD_URL}?client={account.pk}").context["form"]
    assert stranger not in form.fields["contact"].queryset
    assert list(form.fields["contact"].queryset) == list(account.contacts.all())


def test_only_the_companys_vat_rates_are_accepted(login_as, agent, account, vat21):
    client = login_as(agent)
    data = rendered_form(client.get(ADD_URL))
    data.update(subject="Odd VAT", client=str(account.pk))
    fill_line(data, 0, description="Consulting", unit_price="100", vat="7:S")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "vat" in response.context["formset"].forms[0].errors


def test_a_line_keeps_a_rate_no_longer_offered(login_as, agent, proposal):
    from crmconnect.company.models import VatRate

    VatRate.objects.filter(rate=11).update(active=False)
    client = login_as(agent)
    page = client.get(f"/admin/proposals/{proposal.pk}/edit")
    data = rendered_form(page)
    assert data["lines-1-vat"] == "11:S"
    assert client.post(f"/admin/proposals/{proposal.pk}/edit", data).status_code == 302
    assert [row.vat_rate for row in proposal.lines.all()] == [Decimal(21), Decimal(11)]
