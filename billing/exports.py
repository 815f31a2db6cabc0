"""The invoice downloads: the list as it is filtered, and the unpaid invoices with their
balance aged for the finance manager. Amounts are numbers, not text."""

from crmconnect.core.exports import Export


def _text(value):
    return "" if value is None else str(value)


INVOICES = Export("Invoices", [
    ("Number", lambda invoice: invoice.number),
    ("Client", lambda invoice: invoice.client.name),
    ("CUI", lambda invoice: invoice.client.cui),
    ("Status", lambda invoice: invoice.get_status_display()),
    ("Sent", lambda invoice: "" if invoice.is_draft else ("yes" if invoice.sent else "no")),
    ("Date", lambda invoice: invoice.date),
    ("Due date", lambda invoice: invoice.due_date),
    ("Currency", lambda invoice: invoice.currency),
    ("Subtotal", lambda invoice: invoice.subtotal),
    ("Discount", lambda invoice: invoice.discount_total),
    ("VAT", lambda invoice: invoice.vat_total),
    ("Total", lambda invoice: invoice.total),
    ("Paid", lambda invoice: invoice.amount_paid),
    ("Balance", lambda invoice: invoice.balance),
    ("Exchange rate", lambda invoice: invoice.exchange_rate),
    ("Agent", lambda invoice: _text(invoice.assigned_to)),
])

# (column title, the last day past the due date it holds; None: no limit).
AGEING = [("Not due", 0), ("1–30 days", 30), ("31–60 days", 60), ("61–90 days", 90),
          ("Over 90 days", None)]


def ageing_column(days_past_due):
    """The index in AGEING of the column that holds a balance `days_past_due` days past the
    due date. An invoice due today, or later, is not due yet (0 days); day 1 after the due
    date is the first overdue day, so the columns hold 1–30, 31–60, 61–90 and 91 or more
    days."""
    return next(index for index, (_, last_day) in enumerate(AGEING)
                if last_day is None or days_past_due <= last_day)


def unpaid_invoices_export(today):
    """Every receivable invoice with its balance in exactly one ageing column, as of `today`.
    Days past the due date are counted in calendar days."""
    def aged(index):
        def cell(invoice):
            days = (today - invoice.due_date).days
            return invoice.balance if ageing_column(days) == index else None
        return cell

    return Export("Unpaid", [
        ("Number", lambda invoice: invoice.number),
        ("Client", lambda invoice: invoice.client.name),
        ("CUI", lambda invoice: invoice.client.cui),
        ("Date", lambda invoice: invoice.date),
        ("Due date", lambda invoice: invoice.due_date),
        ("Days overdue", lambda invoice: invoice.days_overdue(today)),
        ("Currency", lambda invoice: invoice.currency),
        ("Total", lambda invoice: invoice.total),
        ("Paid", lambda invoice: invoice.amount_paid),
        ("Balance", lambda invoice: invoice.balance),
        *((title, aged(index)) for index, (title, _) in enumerate(AGEING)),
    ])
