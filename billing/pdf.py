"""The PDFs of invoices and payment receipts, and the invoice context the staff page and the
client portal share with the PDF, so all three show the same figures."""

from crmconnect.company.models import CompanySettings
from crmconnect.core.pdf import render_pdf
from sales.pdf import lines_context

from .services.invoices import parties_now


def parties(invoice):
    """(seller, buyer) as frozen at issue; a draft shows the records as they are now."""
    if invoice.seller and invoice.buyer:
        return invoice.seller, invoice.buyer
    return parties_now(invoice)


def series_number(invoice):
    """("CRM", "000042"): the series and the number in it, which a Romanian invoice prints
    apart; None for a draft. A series that numbered documents keeps its prefix."""
    if not invoice.full_number:
        return None
    prefix = invoice.series.prefix
    return prefix, invoice.full_number.removeprefix(prefix)


def invoice_context(invoice):
    seller, buyer = parties(invoice)
    allocations = list(invoice.allocations.select_related("payment", "payment__mode")
                       .order_by("payment__date", "pk"))
    return {"invoice": invoice, "seller": seller, "buyer": buyer, "allocations": allocations,
            "payment_modes": list(invoice.payment_modes.all()),
            "series_number": series_number(invoice), **lines_context(invoice)}


def invoice_pdf(invoice):
    return render_pdf("billing/pdf/invoice.html", invoice_context(invoice))


def receipt_context(payment):
    return {"payment": payment, "company": CompanySettings.load(),
            "allocations": list(payment.allocations.select_related("invoice")
                                .order_by("invoice__date", "pk"))}


def receipt_pdf(payment):
    return render_pdf("billing/pdf/receipt.html", receipt_context(payment))
