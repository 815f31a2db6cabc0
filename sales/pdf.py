"""The proposal's PDF and the document context it shares with the client portal."""

from crmconnect.company.models import CompanySettings
from crmconnect.core.money import document_totals, round_money
from crmconnect.core.pdf import render_pdf


def document_context(proposal):
    """What the PDF and the portal show of a proposal: its lines, their totals (the one totals
    function, so both agree with the stored figures) and the issuing company."""
    lines = list(proposal.lines.all())
    totals = document_totals([line.as_money_line() for line in lines],
                             discount_percent=proposal.discount_percent)
    return {
        "proposal": proposal,
        "lines": lines,
        "totals": totals,
        "total_ron": (None if proposal.currency == "RON"
                      else round_money(totals.total * proposal.exchange_rate)),
        "company": CompanySettings.load(),
    }


def proposal_pdf(proposal):
    return render_pdf("sales/pdf/proposal.html", document_context(proposal))
