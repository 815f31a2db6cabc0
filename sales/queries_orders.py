"""Read side of the sales order pages, widget and client tab: every query starts from what the
user may see (`visible_to`) and loads only what the page shows."""

from django.db.models import Count, Sum

from .filters_orders import uninvoiced
from .models import SalesOrder
from .queries import RECORD_TAB_ROWS

# Orders a client picker offers to repeat: the client's latest ones.
REPEAT_CHOICES = 10
LIST_DEFERRED = ("terms", "notes", "cancel_reason")


def order_list(user):
    """The list and its export: one query for a page, whatever the number of rows."""
    return (SalesOrder.objects.visible_to(user).select_related("client", "assigned_to")
            .defer(*LIST_DEFERRED))


def client_orders(user, client, limit=RECORD_TAB_ROWS):
    """The client's orders the user may see, newest first (the client tab, the repeat
    picker)."""
    return list(SalesOrder.objects.visible_to(user).filter(client=client)
                .select_related("assigned_to").defer(*LIST_DEFERRED).order_by("-id")[:limit])


def repeat_source(user, pk):
    """The order named by ?repeat=<pk>, if the user may see it."""
    if not str(pk).isdigit():
        return None
    return (SalesOrder.objects.visible_to(user).select_related("client", "contact")
            .filter(pk=pk).first())


def uninvoiced_totals(user):
    """Confirmed orders not invoiced yet: [{"currency", "count", "total"}, …] by currency."""
    return list(uninvoiced(SalesOrder.objects.visible_to(user)).order_by("currency")
                .values("currency").annotate(count=Count("pk"), total=Sum("total")))
