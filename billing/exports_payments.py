"""The payments download: the list as it is filtered, each payment with the invoices it paid
and what is left of it as client credit. Amounts are numbers, not text."""

from crmconnect.core.exports import Export, local_moment


def _invoices(payment):
    return ", ".join(f"{allocation.invoice.number} ({allocation.amount})"
                     for allocation in payment.allocations.all())


PAYMENTS = Export("Payments", [
    ("Receipt", lambda payment: payment.receipt_number),
    ("Date", lambda payment: payment.date),
    ("Client", lambda payment: payment.client.name),
    ("CUI", lambda payment: payment.client.cui),
    ("Currency", lambda payment: payment.currency),
    ("Amount", lambda payment: payment.amount),
    ("Applied", lambda payment: payment.allocated),
    ("Unapplied (credit)", lambda payment: payment.unallocated),
    ("Invoices", _invoices),
    ("Payment mode", lambda payment: payment.mode.name),
    ("Transaction reference", lambda payment: payment.transaction_reference),
    ("Recorded by", lambda payment: str(payment.recorded_by or "")),
    ("Voided", lambda payment: local_moment(payment.voided_at)),
    ("Void reason", lambda payment: payment.void_reason),
])
