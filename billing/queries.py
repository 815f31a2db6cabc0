"""Read side of the invoice pages, widgets and tabs: every query starts from what the user may
see (`visible_to`) and loads only what the page shows, so that the list stays fast with
500,000 invoices."""

from django.db.models import Count, F, Sum

from sales.queries import RECORD_TAB_ROWS, SEARCH_CANDIDATES

from .models import Invoice, Payment

# What a list row shows; the frozen parties, texts and link hash stay in the database.
LIST_FIELDS = ("full_number", "status", "sent", "date", "due_date", "currency", "total",
               "amount_paid", "client__name", "assigned_to__first_name",
               "assigned_to__last_name", "assigned_to__username")
# What an export row leaves out.
EXPORT_DEFERRED = ("seller", "buyer", "terms", "notes", "payment_terms", "cancel_reason",
                   "token_hash")
OVERDUE_WIDGET_ROWS = 5


def list_rows(invoices):
    """`invoices` with only what a row of the list, a widget or a tab shows."""
    return invoices.select_related("client", "assigned_to").only(*LIST_FIELDS)


def invoice_list(user):
    """The list: one query for a page, whatever the number of rows."""
    return list_rows(Invoice.objects.visible_to(user))


def invoice_export_rows(user):
    """The exports: the header figures, the client's CUI and the agent."""
    return (Invoice.objects.visible_to(user).select_related("client", "assigned_to")
            .defer(*EXPORT_DEFERRED))


def invoice_detail(user):
    return (Invoice.objects.visible_to(user)
            .select_related("client", "contact", "assigned_to", "created_by", "series",
                            "proposal", "sales_order")
            .prefetch_related("lines", "payment_modes"))


def invoice_allocations(invoice, user):
    """The payments applied to the invoice, oldest first, with their receipt and mode;
    `openable` says whether `user` may open the payment and its receipt (an agent sees the
    payments on their invoice, but a payment is theirs only for their own clients)."""
    allocations = list(invoice.allocations.select_related("payment", "payment__mode")
                       .order_by("payment__date", "pk"))
    openable = set(Payment.objects.visible_to(user).filter(
        pk__in=[allocation.payment_id for allocation in allocations]).values_list("pk",
                                                                                 flat=True))
    for allocation in allocations:
        allocation.openable = allocation.payment_id in openable
    return allocations


def balances_by_currency(invoices):
    """[{"currency", "count", "balance"}, …] of `invoices`, one row per currency."""
    return list(invoices.order_by("currency").values("currency")
                .annotate(count=Count("pk"), balance=Sum(F("total") - F("amount_paid"))))


def overdue_invoices(user):
    """The dashboard: (count and balance per currency, the most overdue invoices)."""
    overdue = Invoice.objects.visible_to(user).overdue()
    rows = list_rows(overdue).order_by("due_date", "id")[:OVERDUE_WIDGET_ROWS]
    return balances_by_currency(overdue), list(rows)


def client_invoices(user, client):
    """The client tab: (the latest invoices, the receivable balance per currency)."""
    invoices = Invoice.objects.visible_to(user).filter(client=client)
    rows = list_rows(invoices).order_by("-id")[:RECORD_TAB_ROWS]
    return list(rows), balances_by_currency(invoices.receivable())


def source_invoice(user, **source):
    """The invoice made from a proposal or order (`proposal=` or `sales_order=`) and whether
    the user may open it: (invoice or None, may open)."""
    invoice = Invoice.objects.filter(**source).only("pk", "full_number").first()
    if invoice is None:
        return None, False
    return invoice, Invoice.objects.visible_to(user).filter(pk=invoice.pk).exists()


def invoice_search(user, text):
    """Header search: the newest of the first matching invoices the user may see, each with
    its client's name as the hint."""
    from .filters import search_invoices

    candidates = search_invoices(Invoice.objects.visible_to(user), text).order_by()
    return (Invoice.objects.filter(pk__in=candidates.values("pk")[:SEARCH_CANDIDATES])
            .annotate(search_hint=F("client__name")).only("full_number").order_by("-id"))
