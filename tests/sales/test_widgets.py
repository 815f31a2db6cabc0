"""The proposals' dashboard widgets and the Proposals tabs of clients and leads."""

import datetime

from django.utils import timezone

from sales.models import Proposal

from ..factories import ClientFactory, LeadFactory, ProposalFactory
from .conftest import with_link

Status = Proposal.Status


def expired(agent, **values):
    proposal = ProposalFactory(assigned_to=agent, client=ClientFactory(owner=agent),
                               open_till=timezone.localdate() - datetime.timedelta(days=3),
                               **values)
    with_link(proposal)
    return proposal


def test_expired_widget_lists_own_expired_proposals(login_as, agent, other_agent):
    mine = expired(agent, subject="Mine expired")
    expired(other_agent, subject="Theirs expired")
    accepted = expired(agent, subject="Accepted long ago")
    Proposal.objects.filter(pk=accepted.pk).update(status=Status.ACCEPTED)
    ProposalFactory(assigned_to=agent, subject="Still open")
    html = login_as(agent).get("/admin").content.decode()
    widget = html.split('id="expired-proposals"')[1].split("</ul>")[0]
    assert "Mine expired" in widget and "Theirs expired" not in widget
    assert "Accepted long ago" not in widget and "Still open" not in widget
    assert f"{mine.get_absolute_url()}#lost-panel" in widget
    assert "/admin/proposals?filter=expired\">1 expired proposal<" in html


def test_not_viewed_widget(login_as, agent):
    late = ProposalFactory(assigned_to=agent, subject="Waiting for a look")
    with_link(late)
    Proposal.objects.filter(pk=late.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=5))
    fresh = ProposalFactory(assigned_to=agent, subject="Sent just now")
    with_link(fresh)
    Proposal.objects.filter(pk=fresh.pk).update(sent_at=timezone.now())
    html = login_as(agent).get("/admin").content.decode()
    widget = html.split('id="not-viewed-proposals"')[1].split("</ul>")[0]
    assert "Waiting for a look" in widget and "Sent just now" not in widget
    assert "1 not viewed after 3 days" in html


def test_widgets_are_empty_states_without_proposals(login_as, agent):
    html = login_as(agent).get("/admin").content.decode()
    assert "No expired proposals waiting for a decision." in html
    assert "Every proposal sent more than 3 days ago has been opened." in html


def test_client_tab_lists_its_proposals(login_as, agent, account, other_agent):
    ProposalFactory(client=account, assigned_to=agent, subject="Client offer")
    ProposalFactory(client=account, assigned_to=other_agent, subject="Colleague's offer")
    html = login_as(agent).get(account.get_absolute_url()).content.decode()
    assert 'id="proposals-tab"' in html and "Client offer" in html
    assert "Colleague" not in html  # own scope
    assert f"/admin/proposals/add?client={account.pk}" in html
    assert f"/admin/proposals?client={account.pk}" in html


def test_lead_tab_of_an_opportunity(login_as, agent):
    from ..factories import OpportunityFactory

    opportunity = OpportunityFactory(assigned_to=agent)
    other_lead = LeadFactory(assigned_to=agent)
    ProposalFactory(lead=opportunity, assigned_to=agent, subject="Opportunity offer")
    ProposalFactory(lead=other_lead, assigned_to=agent, subject="Other lead offer")
    html = login_as(agent).get(opportunity.get_absolute_url()).content.decode()
    assert "Opportunity offer" in html and "Other lead offer" not in html
    assert f"/admin/proposals/add?lead={opportunity.pk}" in html


def test_roles_without_proposals_see_no_tab(login_as, make_user, account):
    from crmconnect.staff import roles

    sdr = make_user(roles.SDR)
    account.owner = sdr
    account.save()
    lead = LeadFactory(assigned_to=sdr)
    assert 'id="proposals-tab"' not in login_as(sdr).get(lead.get_absolute_url()).content.decode()
    html = login_as(sdr).get(lead.get_absolute_url()).content.decode()
    assert "Create proposal" not in html


def test_later_modules_add_buttons_through_the_proposal_actions_slot(login_as, agent, proposal):
    from sales.widgets import proposal_actions

    registered = list(proposal_actions.entries)  # billing's own entries stay afterwards
    proposal_actions.register(key="test-action", title="Convert to Invoice",
                              template="sales/proposals/_status.html",
                              context=lambda request, proposal: {"proposal": proposal})
    try:
        html = login_as(agent).get(proposal.get_absolute_url()).content.decode()
    finally:
        proposal_actions.entries[:] = registered
    actions = html.split('id="proposal-actions"')[1].split("</div>\n</div>")[0]
    assert f'data-status="{proposal.status}"' in actions
