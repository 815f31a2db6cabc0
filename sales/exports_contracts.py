"""The columns of the contracts download; amounts are numbers, not text."""

from crmconnect.core.exports import Export, local_moment

from .exports import _text

CONTRACT_COLUMNS = [
    ("Number", lambda contract: contract.number),
    ("Subject", lambda contract: contract.subject),
    ("Client", lambda contract: _text(contract.client)),
    ("Type", lambda contract: _text(contract.contract_type)),
    ("Status", lambda contract: _text(contract.status)),
    ("Value", lambda contract: contract.value),
    ("Currency", lambda contract: contract.currency),
    ("Start", lambda contract: contract.start_date),
    ("End", lambda contract: contract.end_date),
    ("Revision", lambda contract: contract.get_revision_display()),
    ("Signed", lambda contract: local_moment(contract.signed_at)),
    ("Signed on paper", lambda contract: "yes" if contract.signed_manually else "no"),
    ("Signer", lambda contract: contract.signer_name),
    ("Account manager", lambda contract: _text(contract.assigned_to)),
    ("Created", lambda contract: local_moment(contract.created_at)),
]

CONTRACTS = Export("Contracts", CONTRACT_COLUMNS)
