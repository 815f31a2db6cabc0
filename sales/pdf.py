"""The PDFs of proposals and contracts and the document context each shares with the client
portal (and the staff pages), so the page and the paper always show the same figures."""

from crmconnect.company.models import CompanySettings
from crmconnect.core.money import document_totals
from crmconnect.core.pdf import render_pdf


def lines_context(document):
    """A document's lines, their totals (the one totals function, so they agree with the
    stored figures) and the issuing company."""
    lines = list(document.lines.all())
    totals = document_totals([line.as_money_line() for line in lines],
                             discount_percent=document.discount_percent)
    return {
        "lines": lines,
        "totals": totals,
        "total_ron": document.total_ron,
        "company": CompanySettings.load(),
    }


def document_context(proposal):
    """What the PDF and the portal show of a proposal."""
    return {"proposal": proposal, **lines_context(proposal)}


def proposal_pdf(proposal):
    return render_pdf("sales/pdf/proposal.html", document_context(proposal))


def contract_context(contract):
    """What the PDF and the portal show of a contract."""
    return {"contract": contract, **lines_context(contract)}


def contract_pdf(contract):
    """The contract as it stands; once signed, with the signature block (the copy frozen at
    signing is `contract.signed_pdf`)."""
    return render_pdf("sales/pdf/contract.html", contract_context(contract))
