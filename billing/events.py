"""Domain events of billing, sent on commit by the service that made the change. Receivers
get `sender` (the model class), the record and `actor` (None for the client or the gateway).
Commission, goals, e-Factura and automation subscribe; billing never imports them."""

from django.dispatch import Signal

invoice_created = Signal()     # invoice, actor
invoice_issued = Signal()      # invoice, actor
invoice_sent = Signal()        # invoice, actor, by_email
invoice_cancelled = Signal()   # invoice, actor
invoice_overdue = Signal()     # invoice
invoice_paid = Signal()        # invoice, actor (fully paid)
payment_recorded = Signal()    # payment, actor
payment_voided = Signal()     # payment, actor
