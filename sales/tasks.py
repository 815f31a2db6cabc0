import smtplib

from celery import Task, shared_task
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from crmconnect.activity.services import notify
from crmconnect.company.models import CompanySettings

from .models import Proposal


class NotifyAgentOnFailure(Task):
    """When the last retry fails, the agent hears that the email did not go out."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        proposal = Proposal.objects.filter(pk=args[0]).select_related("assigned_to").first()
        if proposal is not None:
            notify(recipient=proposal.assigned_to, url=proposal.get_absolute_url(),
                   message=f"The email with proposal {proposal.number} could not be sent "
                           f"({exc}). Check the mail settings and send it again.")


@shared_task(base=NotifyAgentOnFailure, autoretry_for=(OSError, smtplib.SMTPException),
             retry_backoff=30, retry_backoff_max=900, max_retries=5)
def send_proposal_email(proposal_id, link):
    """The client's email with the portal link (the link is only known to this message)."""
    proposal = Proposal.objects.select_related("assigned_to").get(pk=proposal_id)
    company = CompanySettings.load()
    context = {"proposal": proposal, "link": link, "company": company}
    agent = proposal.assigned_to
    message = EmailMessage(
        subject=f"Proposal {proposal.number}: {proposal.subject}",
        body=render_to_string("sales/email/proposal_sent.txt", context),
        to=[proposal.recipient_email],
        reply_to=[agent.email] if agent and agent.email else None,
    )
    message.send()
