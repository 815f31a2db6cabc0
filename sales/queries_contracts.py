"""Read side of the contract pages: every query starts from what the user may see
(`visible_to`) and loads only what the page shows."""

from django.db.models import Q

from crmconnect.core.pagination import capped_count

from .models import Contract
from .queries import RECORD_TAB_ROWS, WIDGET_COUNT_CAP, WIDGET_ROWS

EXPIRING_WIDGET_DAYS = 60
# Long texts a list row never shows (a drawn signature alone may be 200 kB).
LIST_DEFERRED = ("content", "terms", "notes", "renewal_terms", "signature")


def contract_list(user):
    """The list and its export: one query for a page, whatever the number of rows."""
    return (Contract.objects.visible_to(user)
            .select_related("client", "contract_type", "status", "assigned_to")
            .defer(*LIST_DEFERRED))


def contract_detail(user):
    return (Contract.objects.visible_to(user)
            .select_related("client", "contact", "contract_type", "status", "assigned_to",
                            "created_by", "proposal", "sales_order", "previous")
            .prefetch_related("lines"))


def contract_versions(contract):
    """The other revisions of the contract: those it changes and those that change it, in
    turn, oldest first. One query per step along the chain (a handful of revisions)."""
    found = frontier = {contract.pk}
    while frontier:
        linked = Contract.objects.filter(Q(revisions__in=frontier) | Q(previous__in=frontier))
        frontier = set(linked.values_list("pk", flat=True)) - found
        found = found | frontier
    return list(Contract.objects.filter(pk__in=found - {contract.pk})
                .select_related("status").defer(*LIST_DEFERRED).order_by("version", "id"))


def expiring_contracts(user, days=EXPIRING_WIDGET_DAYS):
    """Active contracts ending within `days`, soonest first: (first rows, capped count)."""
    contracts = Contract.objects.visible_to(user).expiring_within(days)
    rows = (contracts.select_related("client", "status").defer(*LIST_DEFERRED)
            .order_by("end_date", "id"))
    return list(rows[:WIDGET_ROWS]), capped_count(contracts, WIDGET_COUNT_CAP)


def client_contracts(user, client):
    return list(Contract.objects.visible_to(user).filter(client=client)
                .select_related("status", "contract_type", "assigned_to")
                .defer(*LIST_DEFERRED).order_by("-id")[:RECORD_TAB_ROWS])


def proposal_contract(proposal):
    """The contract made from the proposal, or None."""
    return Contract.objects.filter(proposal=proposal).only("pk", "version").first()
