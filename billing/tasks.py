from celery import shared_task
from django.db import OperationalError

from sales.models import Proposal
from sales.tasks import RETRY, NotifyAgentOnFailure, send_document_email

from .models import Invoice
from .pdf import invoice_pdf
from .services.invoices import invoice_auto_convert, invoices_mark_overdue


@shared_task(base=NotifyAgentOnFailure, model="billing.Invoice", **RETRY)
def send_invoice_email(invoice_id, link, to):
    """The client's email: the invoice PDF attached and the portal link (known only to this
    message)."""
    invoice = Invoice.objects.select_related("assigned_to", "client").get(pk=invoice_id)
    send_document_email(invoice, "billing/email/invoice_sent.txt", f"Invoice {invoice.number}",
                        link, to, [(f"{invoice.number}.pdf", invoice_pdf(invoice),
                                    "application/pdf")])


@shared_task
def mark_overdue_invoices():
    """Nightly (beat): Unpaid invoices past their due date become Overdue."""
    return invoices_mark_overdue()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def convert_accepted_proposal(proposal_id):
    """The invoice of a proposal the client accepted online (once, however often it runs)."""
    invoice_auto_convert(proposal=Proposal.objects.get(pk=proposal_id))
