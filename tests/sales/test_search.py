from crmconnect.core.navigation import search_providers

from ..factories import ProposalFactory


def _proposals(user, text):
    provider = next(p for p in search_providers if p.label == "Proposals")
    return list(provider.search(user, text))


def test_header_search_finds_by_number_subject_and_client_within_scope(agent, other_agent,
                                                                       proposal):
    theirs = ProposalFactory(subject="Audit for someone else", assigned_to=other_agent)
    assert _proposals(agent, proposal.number) == [proposal]
    assert _proposals(agent, proposal.subject[:8]) == [proposal]
    assert _proposals(agent, "Alfa Consulting") == [proposal]
    assert _proposals(agent, "someone else") == []
    assert _proposals(other_agent, "someone else") == [theirs]


def test_header_search_page_lists_proposals(client, agent, proposal):
    client.force_login(agent)
    response = client.get("/admin/search", {"q": proposal.number})
    assert response.status_code == 200
    assert proposal.get_absolute_url() in response.content.decode()
    assert "Alfa Consulting SRL · Draft" in response.content.decode()
