"""Read side of leads and opportunities: every query starts from what the user may see
(`visible_to`) and is shaped for an index of Lead, so that pages stay fast with a million
leads."""

from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

from crmconnect.core.pagination import capped_count

from .filters import search_leads, uncontacted
from .models import Lead, Pipeline

CARDS_PER_COLUMN = 20
COLUMN_COUNT_CAP = 1000
WIDGET_ROWS = 10
WIDGET_COUNT_CAP = 99

# Django writes .leads() as `NOT is_opportunity`; SQLite can use lead_created_idx and
# lead_own_created_idx (whose first columns are the flag) only for an equality, so the lists
# add one (a no-op on PostgreSQL, which reads the NOT form from those indexes already).
LEADS_ONLY = Q(is_opportunity=Value(False))


class CappedCount(Subquery):
    """How many rows a correlated subquery has, counting at most as many as it is sliced to
    (so a column of 100,000 leads costs as much as one of 1,001)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def board_pipelines():
    return Pipeline.objects.filter(active=True)


def board_pipeline(pk):
    """The pipeline asked for, else the default one, else the first active one."""
    pipelines = board_pipelines()
    chosen = pipelines.filter(pk=pk).first() if str(pk or "").isdigit() else None
    return chosen or pipelines.filter(is_default=True).first() or pipelines.first()


def board_leads(user):
    """What a Kanban shows: active leads (not opportunities) the user may see."""
    return Lead.objects.visible_to(user).leads().active()


def board_columns(pipeline, leads):
    """The statuses of `pipeline` in order, each with `card_count` (capped) of `leads` —
    one query for the whole board."""
    in_column = leads.filter(status_id=OuterRef("pk")).order_by().values("pk")
    return pipeline.statuses.order_by("order", "id").annotate(
        card_count=CappedCount(in_column[: COLUMN_COUNT_CAP + 1]))


def column_cards(leads, status, before=None):
    """The next cards of a column, most recently moved first; `before` is the
    (status_changed_at, id) of the last card already shown (keyset pagination on
    lead_board_idx). One more card than shown tells whether there are more."""
    cards = leads.filter(status=status).select_related("assigned_to").order_by(
        "-status_changed_at", "-id")
    if before is not None:
        moved_at, pk = before
        cards = cards.filter(Q(status_changed_at__lt=moved_at)
                             | Q(status_changed_at=moved_at, id__lt=pk))
    rows = list(cards[: CARDS_PER_COLUMN + 1])
    return rows[:CARDS_PER_COLUMN], len(rows) > CARDS_PER_COLUMN


def lead_list(user):
    """The leads list and its export."""
    return (Lead.objects.visible_to(user).leads().filter(LEADS_ONLY)
            .select_related("status", "pipeline", "source", "assigned_to", "lost_reason")
            .prefetch_related("tags"))


def _cents(field):
    return Cast(Round(F(field) * 100), BigIntegerField())


# value × probability / 100 in whole cents, rounded half up: integer arithmetic, so it is
# exact on every database (SQLite keeps decimals as floating point).
WEIGHTED_CENTS = ExpressionWrapper((_cents("value") * F("probability") + 50) / 100,
                                   output_field=BigIntegerField())


def from_cents(cents):
    return None if cents is None else Decimal(cents).scaleb(-2)


def opportunity_list(user):
    return (Lead.objects.visible_to(user).opportunities()
            .select_related("opportunity_status", "assigned_to")
            .annotate(weighted_cents=WEIGHTED_CENTS))


def with_weighted_value(opportunities):
    """The rows with `weighted` (value × probability) as a Decimal (from the SQL annotation)."""
    rows = list(opportunities)
    for row in rows:
        row.weighted = from_cents(row.weighted_cents)
    return rows


def opportunity_totals(opportunities):
    """Per currency, the sum of value and of weighted value of the filtered opportunities
    (one query); the weighted total is the sum of the rounded row values the list shows."""
    totals = (opportunities.order_by().values("currency")
              .annotate(value_cents=Sum(_cents("value")), weighted_cents=Sum(WEIGHTED_CENTS))
              .order_by("currency"))
    return [{"currency": row["currency"],
             "value": from_cents(row["value_cents"] or 0),
             "weighted": from_cents(row["weighted_cents"] or 0)} for row in totals]


def uncontacted_leads(user):
    leads = uncontacted(Lead.objects.visible_to(user).leads().filter(LEADS_ONLY))
    return {"uncontacted_leads": list(leads.select_related("source")[:WIDGET_ROWS]),
            "uncontacted_count": capped_count(leads, WIDGET_COUNT_CAP),
            "uncontacted_cap": WIDGET_COUNT_CAP}


# The header search orders at most this many matches: a broad term matching tens of thousands
# of leads would otherwise fetch every match to sort it (the full list sorts them all).
SEARCH_CANDIDATES = 200


def lead_search(user, text):
    """Header search over leads and opportunities, the newest of the first matches first,
    each marked with its kind."""
    candidates = search_leads(Lead.objects.visible_to(user), text).order_by().values("pk")
    return (Lead.objects.filter(pk__in=candidates[:SEARCH_CANDIDATES])
            .annotate(search_hint=Case(When(is_opportunity=True, then=Value("Opportunity")),
                                       default=Value("Lead")))
            .order_by("-created_at", "-id"))
