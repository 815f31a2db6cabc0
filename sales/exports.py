"""The columns of the proposals download; amounts are numbers, not text."""

from crmconnect.core.exports import Export, local_moment


def _text(value):
    return "" if value is None else str(value)


PROPOSAL_COLUMNS = [
    ("Number", lambda proposal: proposal.number),
    ("Subject", lambda proposal: proposal.subject),
    ("To", lambda proposal: proposal.recipient),
    ("Client", lambda proposal: _text(proposal.client)),
    ("Lead", lambda proposal: _text(proposal.lead)),
    ("Status", lambda proposal: proposal.get_status_display()),
    ("Expired", lambda proposal: "yes" if proposal.is_expired else "no"),
    ("Date", lambda proposal: proposal.date),
    ("Open till", lambda proposal: proposal.open_till),
    ("Currency", lambda proposal: proposal.currency),
    ("Subtotal", lambda proposal: proposal.subtotal),
    ("Discount", lambda proposal: proposal.discount_total),
    ("VAT", lambda proposal: proposal.vat_total),
    ("Total", lambda proposal: proposal.total),
    ("Exchange rate", lambda proposal: proposal.exchange_rate),
    ("Agent", lambda proposal: _text(proposal.assigned_to)),
    ("Sent", lambda proposal: local_moment(proposal.sent_at)),
    ("Viewed", lambda proposal: local_moment(proposal.viewed_at)),
    ("Created", lambda proposal: local_moment(proposal.created_at)),
]

PROPOSALS = Export("Proposals", PROPOSAL_COLUMNS)
