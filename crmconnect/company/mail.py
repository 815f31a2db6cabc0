"""Outgoing mail goes through the SMTP server saved in Company settings when one is set, else
through the deployment's EMAIL_URL (console output in `make run`)."""

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from .models import CompanySettings


def smtp_backend_for(company, fail_silently=False):
    return SMTPBackend(
        host=company.smtp_host, port=company.smtp_port,
        username=company.smtp_username or None, password=company.smtp_password or None,
        use_tls=company.smtp_security == "starttls", use_ssl=company.smtp_security == "ssl",
        timeout=settings.EMAIL_TIMEOUT, fail_silently=fail_silently,
    )


class CompanyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        company = CompanySettings.load()
        self.sender = company.mail_from
        if company.smtp_configured:
            self.inner = smtp_backend_for(company, fail_silently)
        else:
            self.inner = get_connection(settings.EMAIL_FALLBACK_BACKEND,
                                        fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        if self.sender:
            for message in email_messages:
                if message.from_email == settings.DEFAULT_FROM_EMAIL:
                    message.from_email = self.sender
        return self.inner.send_messages(email_messages)


def mail_configured():
    """Whether mail can reach clients: an SMTP server in Company settings, or one the
    deployment names in EMAIL_URL."""
    return CompanySettings.load().smtp_configured or settings.EMAIL_URL_GIVEN


def send_test_email(to):
    """Send a short message through the configured backend; SMTP errors propagate."""
    company = CompanySettings.load()
    send_mail(
        subject="CRMconnect test email",
        message=f"This is a test message from CRMconnect.\n\nIt was sent through the SMTP "
                f"server {company.smtp_host}:{company.smtp_port} saved in Company settings.",
        from_email=None, recipient_list=[to],
    )
