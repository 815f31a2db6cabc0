from celery import shared_task
from django.core.mail import EmailMessage
from django.db import OperationalError
from django.template.loader import render_to_string

from crmconnect.company.models import CompanySettings
from sales.models import Proposal
from sales.tasks import RETRY, NotifyAgentOnFailure

from .models import Invoice
from .pdf import invoice_pdf
from .services.invoices import invoice_auto_convert, invoices_mark_overdue


@shared_task(base=NotifyAgentOnFailure, model="billing.Invoice", **RETRY)
def send_invoice_email(invoice_id, link, to):
    """The client's email: the invoice PDF attached and the portal link (known only to this
    message)."""
    invoice = Invoice.objects.select_related("assigned_to", "client").get(pk=invoice_id)
    agent = invoice.assigned_to
    body = render_to_string("billing/email/invoice_sent.txt", {
        "invoice": invoice, "link": link, "company": CompanySettings.load()})
    message = EmailMessage(subject=f"Invoice {invoice.number}", body=body, to=[to],
                           reply_to=[agent.email] if agent and agent.email else None)
    message.attach(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    message.send()


@shared_task
def mark_overdue_invoices():
    """Nightly (beat): Unpaid invoices past their due date become Overdue."""
    return invoices_mark_overdue()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def convert_accepted_proposal(proposal_id):
    """The invoice of a proposal the client accepted online (once, however often it runs)."""
    invoice_auto_convert(proposal=Proposal.objects.get(pk=proposal_id))
