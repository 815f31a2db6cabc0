"""The dashboard widgets and record tabs of proposals (registered in navigation.py), and the
slot through which later modules add their conversion buttons to the proposal page."""

from crmconnect.core.navigation import Slot

from . import queries
from .models import ProposalSettings

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
