"""The dashboard widgets and record tabs of proposals (registered in navigation.py), and the
slot through which later modules add their conversion buttons to the proposal page."""

from crmconnect.core.navigation import Slot

from . import queries, queries_contracts, queries_orders
from .models import Proposal, ProposalSettings

# "Convert to Invoice", "Create Contract": entries get proposal= in their context.
proposal_actions = Slot("proposal_actions")


def expired_proposals_context(request):
    rows, count = queries.expired_proposals(request.user)
    return {"expired_proposals": rows, "expired_count": count,
            "count_cap": queries.WIDGET_COUNT_CAP}


def not_viewed_proposals_context(request):
    days = ProposalSettings.load().follow_up_after_days
    rows, count = queries.not_viewed_proposals(request.user, days)
    return {"not_viewed_proposals": rows, "not_viewed_count": count, "follow_up_days": days,
            "count_cap": queries.WIDGET_COUNT_CAP}


def lead_proposals_context(request, lead):
    return {"record_proposals": queries.record_proposals(request.user, lead=lead),
            "create_query": f"lead={lead.pk}"}


def client_proposals_context(request, client):
    return {"record_proposals": queries.record_proposals(request.user, client=client),
            "create_query": f"client={client.pk}", "list_query": f"client={client.pk}"}


# --- sales orders ----------------------------------------------------------------------------

# "Convert to Invoice" (billing): entries get order= in their context.
order_actions = Slot("order_actions")


def uninvoiced_orders_context(request):
    return {"uninvoiced_totals": queries_orders.uninvoiced_totals(request.user)}


def client_orders_context(request, client):
    return {"client_orders": queries_orders.client_orders(request.user, client)}


# --- contracts -----------------------------------------------------------------------------

def expiring_contracts_context(request):
    rows, count = queries_contracts.expiring_contracts(request.user)
    return {"expiring_contracts": rows, "expiring_count": count,
            "expiring_days": queries_contracts.EXPIRING_WIDGET_DAYS,
            "count_cap": queries.WIDGET_COUNT_CAP}


def client_contracts_context(request, client):
    return {"client_contracts": queries_contracts.client_contracts(request.user, client),
            "client": client}


def proposal_contract_action_context(request, proposal):
    """"Create Contract" on an accepted proposal, or the link to the contract made from it."""
    contract = queries_contracts.proposal_contract(proposal)
    return {"proposal": proposal, "proposal_contract": contract,
            "can_create_contract": (contract is None and proposal.client_id is not None
                                    and proposal.status == Proposal.Status.ACCEPTED
                                    and request.user.has_perm("sales.add_contract"))}
