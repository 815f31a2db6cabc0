"""The document trail: the proposal, sales order and contracts of one deal, plus the documents
later modules link to them (billing: the invoice), shown on each of these documents' pages.

A later module joins the trail with `register_trail_link(entries=…, origin=…)`, so sales never
imports it: `entries(chain)` returns `(label, record)` pairs for the chain's documents (e.g.
the invoice made from `chain.proposal` or `chain.order`); `origin(record)` returns the sales
document one of its own records was made from (an invoice → its order or proposal), or None
for records that are not its own, so that the module's pages show the same trail."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from .models import Contract, Proposal, SalesOrder


class TrailEntry(NamedTuple):
    label: str
    number: str
    url: str  # empty when the user may not open the document
    status: str


@dataclass(frozen=True)
class TrailLink:
    entries: Callable
    origin: Callable | None = None


@dataclass
class Chain:
    proposal: Proposal | None = None
    order: SalesOrder | None = None
    contracts: list = field(default_factory=list)


trail_links: list[TrailLink] = []


def register_trail_link(*, entries, origin=None):
    trail_links.append(TrailLink(entries=entries, origin=origin))


def _order_of(proposal):
    return SalesOrder.objects.filter(proposal=proposal).first() if proposal else None


def _chain(record):
    """The sales documents `record` belongs with; None when it is not a sales document."""
    if isinstance(record, Proposal):
        proposal, order = record, _order_of(record)
    elif isinstance(record, SalesOrder):
        proposal, order = record.proposal, record
    elif isinstance(record, Contract):
        order = record.sales_order
        proposal = record.proposal or (order.proposal if order else None)
        order = order or _order_of(proposal)
    else:
        return None
    links = Q(pk=record.pk) if isinstance(record, Contract) else Q(pk__in=[])
    if proposal is not None:
        links |= Q(proposal=proposal)
    if order is not None:
        links |= Q(sales_order=order)
    contracts = list(Contract.objects.filter(links).select_related("status").order_by("pk"))
    return Chain(proposal=proposal, order=order, contracts=contracts)


def _foreign_chain(record):
    for link in trail_links:
        source = link.origin(record) if link.origin else None
        if source is not None:
            return _chain(source)
    return Chain()


def _status(record):
    display = getattr(record, "get_status_display", None)
    return display() if display else str(record.status)


def _url(record, user):
    """The document's page, if `user` may open it (every user when no user is given)."""
    if user is not None and not type(record).objects.visible_to(user).filter(
            pk=record.pk).exists():
        return ""
    return record.get_absolute_url()


def document_trail(record, user=None):
    """[TrailEntry(label, number, url, status), …] in the deal's order: proposal, sales
    order, contracts, then what other modules add. With `user`, documents out of their scope
    are listed without a link."""
    chain = _chain(record) or _foreign_chain(record)
    documents = [("Proposal", chain.proposal), ("Sales order", chain.order),
                 *(("Contract", contract) for contract in chain.contracts)]
    for link in trail_links:
        documents += link.entries(chain)
    return [TrailEntry(label, document.number, _url(document, user), _status(document))
            for label, document in documents if document is not None]
