"""Domain events of the sales app, sent on commit by the service that made the change.

Receivers get `sender` (the model class), the record and `actor` (None for the client in the
portal). Higher apps (billing, automation) subscribe; sales never imports them."""

from django.dispatch import Signal

proposal_sent = Signal()        # proposal, actor, by_email
proposal_viewed = Signal()      # proposal
proposal_accepted = Signal()    # proposal, actor, via_portal, auto_convert
proposal_declined = Signal()    # proposal, actor, via_portal
proposal_commented = Signal()   # proposal, comment
sales_order_created = Signal()  # order, actor
sales_order_confirmed = Signal()  # order, actor
sales_order_cancelled = Signal()  # order, actor
contract_created = Signal()     # contract, actor
contract_signed = Signal()      # contract, actor (None when the client signed online)
contract_expired = Signal()     # contract
