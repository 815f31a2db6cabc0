import smtplib

from celery import Task, shared_task
from django.apps import apps
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from crmconnect.activity.services import notify
from crmconnect.company.models import CompanySettings

from .models import Contract, Proposal
from .services.contracts import contracts_check


class NotifyAgentOnFailure(Task):
    """When the last retry fails, the document's agent hears that the email did not go out.
    The task's first argument is the document's id; `model` names its model."""

    model = None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        document = (apps.get_model(self.model).objects.filter(pk=args[0])
                    .select_related("assigned_to").first())
        if document is not None:
            notify(recipient=document.assigned_to, url=document.get_absolute_url(),
                   message=f"The email with {document.number} could not be sent ({exc}). "
                           f"Check the mail settings and send it again.")


RETRY = {"autoretry_for": (OSError, smtplib.SMTPException), "retry_backoff": 30,
         "retry_backoff_max": 900, "max_retries": 5}


def send_document_email(document, template, subject, link, to, attachments=()):
    """A document's email to the client: `template` rendered with the document (by its model
    name), the portal link and the company; replies go to the document's agent.
    `attachments` are (filename, content, mimetype) triples."""
    agent = document.assigned_to
    context = {document._meta.model_name: document, "link": link,
               "company": CompanySettings.load()}
    message = EmailMessage(subject=subject, body=render_to_string(template, context), to=[to],
                           reply_to=[agent.email] if agent and agent.email else None)
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


@shared_task(base=NotifyAgentOnFailure, model="sales.Proposal", **RETRY)
def send_proposal_email(proposal_id, link):
    """The client's email with the portal link (the link is only known to this message)."""
    proposal = Proposal.objects.select_related("assigned_to").get(pk=proposal_id)
    send_document_email(proposal, "sales/email/proposal_sent.txt",
          f"Proposal {proposal.number}: {proposal.subject}", link, proposal.recipient_email)


@shared_task(base=NotifyAgentOnFailure, model="sales.Contract", **RETRY)
def send_contract_email(contract_id, link, to):
    contract = Contract.objects.select_related("assigned_to", "client").get(pk=contract_id)
    send_document_email(contract, "sales/email/contract_for_signature.txt",
          f"Contract {contract.number} for signature: {contract.subject}", link, to)


@shared_task
def check_contracts():
    """Daily (beat): expire ended contracts, create renewal tasks and reminders once."""
    return contracts_check()
