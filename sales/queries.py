"""Read side of the proposal pages: every query starts from what the user may see
(`visible_to`) and loads only what the page shows, so that the list stays fast with
200,000 proposals."""

from django.db.models import Prefetch

from crmconnect.clients.models import Client
from crmconnect.clients.queries import client_search as clients_matching
from crmconnect.core.pagination import capped_count

from .models import Proposal, ProposalTemplate, SalesOrder

WIDGET_ROWS = 10
WIDGET_COUNT_CAP = 99
RECORD_TAB_ROWS = 20
# A client picker offers every visible client as a dropdown up to this many, else a search.
CLIENT_CHOICES_MAX = 200
CLIENT_SEARCH_ROWS = 20


# Long texts a list row never shows (a drawn signature alone may be 200 kB).
LIST_DEFERRED = ("content", "terms", "notes", "signature", "decline_reason")


def proposal_list(user):
    """The list and its export: one query for a page, whatever the number of rows."""
    return (Proposal.objects.visible_to(user).select_related("client", "lead", "assigned_to")
            .defer(*LIST_DEFERRED))


def proposal_detail(user):
    return (Proposal.objects.visible_to(user)
            .select_related("client", "contact", "lead", "assigned_to", "created_by",
                            "template")
            .prefetch_related("lines"))


def proposal_comments(proposal):
    return list(proposal.comments.select_related("author"))


def proposal_order(proposal):
    """The sales order made from the proposal, or None."""
    return SalesOrder.objects.filter(proposal=proposal).first()


def order_detail(user):
    return (SalesOrder.objects.visible_to(user)
            .select_related("client", "contact", "assigned_to", "proposal")
            .prefetch_related("lines"))


def template_list():
    return ProposalTemplate.objects.prefetch_related(
        Prefetch("lines", to_attr="line_rows"))


def _widget(proposals, order):
    rows = proposals.select_related("client", "lead").order_by(*order)
    return list(rows[:WIDGET_ROWS]), capped_count(proposals, WIDGET_COUNT_CAP)


def expired_proposals(user):
    return _widget(Proposal.objects.visible_to(user).expired(), ["open_till", "id"])


def not_viewed_proposals(user, days):
    return _widget(Proposal.objects.visible_to(user).not_viewed(days), ["sent_at", "id"])


def record_proposals(user, **record):
    """The proposals of one client or lead (`client=` or `lead=`), newest first."""
    return list(Proposal.objects.visible_to(user).filter(**record)
                .select_related("assigned_to").order_by("-id")[:RECORD_TAB_ROWS])


def visible_clients(user):
    return Client.objects.visible_to(user)


def client_choices(user):
    """Every client the user may quote, when they are few enough for a dropdown; else None
    (the form searches instead)."""
    clients = list(visible_clients(user).filter(active=True).only("pk", "name")
                   .order_by("name", "pk")[: CLIENT_CHOICES_MAX + 1])
    return clients if len(clients) <= CLIENT_CHOICES_MAX else None


def client_search(user, text):
    return list(clients_matching(user, text).filter(active=True)[:CLIENT_SEARCH_ROWS])


SEARCH_CANDIDATES = 200


def proposal_search(user, text):
    """Header search: the newest of the first matching proposals the user may see."""
    from .filters_proposals import search_proposals

    candidates = search_proposals(Proposal.objects.visible_to(user), text).order_by()
    return (Proposal.objects.filter(pk__in=candidates.values("pk")[:SEARCH_CANDIDATES])
            .select_related("client", "lead").only("subject", "status", "client__name",
                                                   "lead__name", "recipient_name").order_by("-id"))
