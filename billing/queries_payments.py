"""Read side of the payment pages, the receipt and the client tab: every query starts from
what the user may see (`visible_to`) and loads only what the page shows."""

from django.db.models import BooleanField, Case, Prefetch, Value, When

from .models import Invoice, Payment, PaymentAllocation, PaymentMode

CLIENT_TAB_ROWS = 10
# The payment page offers the client's open invoices to apply credit to, oldest due first.
CREDIT_INVOICES = 20
LIST_DEFERRED = ("note", "void_reason")


def payment_list(user):
    """The list: one query for a page, whatever the number of rows."""
    return (Payment.objects.visible_to(user).select_related("client", "mode")
            .defer(*LIST_DEFERRED))


def payment_export(user):
    """The export: each row also names the invoices the payment was applied to."""
    allocations = (PaymentAllocation.objects.select_related("invoice")
                   .only("payment_id", "amount", "invoice__full_number"))
    return (Payment.objects.visible_to(user).select_related("client", "mode", "recorded_by")
            .defer("note").prefetch_related(Prefetch("allocations", queryset=allocations)))


def payment_detail(user):
    return Payment.objects.visible_to(user).select_related("client", "mode", "recorded_by")


def payment_allocations(payment):
    return list(payment.allocations.select_related("invoice", "created_by")
                .order_by("created_at", "pk"))


def credit_invoice_rows(user, payment):
    """The client's invoices in the payment's currency the user may see: where the payment's
    unapplied money can go (the service refuses those with nothing to pay)."""
    return Invoice.objects.visible_to(user).filter(client_id=payment.client_id,
                                                   currency=payment.currency)


def credit_invoices(user, payment):
    """The open ones to offer on the payment page, oldest due first, each with the amount to
    suggest (`suggested`: what the payment has left, up to the balance)."""
    invoices = list(credit_invoice_rows(user, payment).receivable()
                    .only("full_number", "date", "due_date", "total", "amount_paid",
                          "currency", "status")
                    .order_by("due_date", "pk")[:CREDIT_INVOICES])
    for invoice in invoices:
        invoice.suggested = min(invoice.balance, payment.unallocated)
    return invoices


def client_payments(user, client, limit=CLIENT_TAB_ROWS):
    return list(Payment.objects.visible_to(user).filter(client=client)
                .select_related("mode").defer(*LIST_DEFERRED).order_by("-date", "-id")[:limit])


def payment_modes_for(invoice):
    """The active payment modes, those the invoice allows first."""
    allowed = list(invoice.payment_modes.values_list("pk", flat=True))
    return (PaymentMode.objects.filter(active=True)
            .annotate(on_invoice=Case(When(pk__in=allowed, then=Value(True)),
                                      default=Value(False), output_field=BooleanField()))
            .order_by("-on_invoice", "ordering", "name"))
