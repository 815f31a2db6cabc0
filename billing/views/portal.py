"""The invoice portal: one issued invoice opened through its link, without logging in; its
PDF, the receipts of its payments and "Pay online" through the payment gateway."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import report_refusal
from crmconnect.core.portal import find_by_token
from crmconnect.staff.throttle import client_ip
from sales.views.portal import portal_view

from ..gateway import GatewayError
from ..models import Invoice, Payment, PaymentMode
from ..pdf import invoice_context
from ..pdf import invoice_pdf as render_invoice_pdf
from ..pdf import receipt_pdf as render_receipt_pdf
from ..services.gateway import checkout_open, online_payment_refusal
from ..services.invoices import portal_url
from ..services.portal import invoice_portal_open

logger = logging.getLogger(__name__)

# The client back from the gateway's page (success_url / cancel_url of the checkout).
RETURNS = {
    "paid": ("success", "Thank you: the payment provider took your payment. It shows below as "
                        "soon as they confirm it to us."),
    "cancelled": ("info", "The online payment was cancelled: nothing was charged."),
}


def _find(request, token):
    """Issued invoices only: a draft or a cancelled invoice answers as a wrong link does."""
    return find_by_token(request, Invoice.objects.filter(status__in=Invoice.SETTLED)
                         .select_related("client", "assigned_to")
                         .prefetch_related("payment_modes"), token)


def _pdf(data, name):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@portal_view
@require_GET
def invoice(request, token):
    found = _find(request, token)
    staff = request.user.is_authenticated
    if not staff:  # a colleague checking the link is not the client reading it
        invoice_portal_open(invoice=found, ip=client_ip(request))
    pay_online = online_payment_refusal(found) is None
    context = invoice_context(found)
    context["payment_modes"] = [mode for mode in context["payment_modes"]
                                if pay_online or mode.kind != PaymentMode.Kind.ONLINE]
    response = render(request, "billing/portal/invoice.html", {
        **context, "token": token, "pay_online": pay_online, "staff": staff,
        "returned": next((RETURNS[key] for key in RETURNS if key in request.GET), None)})
    if pay_online:
        _allow_checkout_redirect(response)
    return response


def _allow_checkout_redirect(response):
    """Browsers apply the page's CSP form-action to the redirect that follows a form post:
    "Pay online" ends on the gateway's page, so this page's policy names its origin."""
    origin = settings.PAYMENT_GATEWAY_CHECKOUT_ORIGIN
    directives = [part.strip() for part in settings.CONTENT_SECURITY_POLICY.split(";")
                  if part.strip()]
    if any(directive.split()[0] == "form-action" for directive in directives):
        response["Content-Security-Policy"] = "; ".join(
            f"{directive} {origin}" if directive.split()[0] == "form-action" else directive
            for directive in directives)


@portal_view
@require_GET
def invoice_pdf(request, token):
    found = _find(request, token)
    return _pdf(render_invoice_pdf(found), found.number)


@portal_view
@require_GET
def receipt_pdf(request, token, pk):
    """The receipt of a payment applied to this invoice; no other payment is reachable."""
    found = _find(request, token)
    payment = (Payment.objects.select_related("client", "mode")
               .filter(pk=pk, allocations__invoice=found, voided_at__isnull=True)
               .exclude(receipt_number="").first())
    if payment is None:
        raise Http404
    return _pdf(render_receipt_pdf(payment), payment.receipt_number)


@portal_view
@require_POST
def invoice_pay(request, token):
    """To the gateway's payment page (303), or back to the invoice with the reason."""
    found = _find(request, token)
    try:
        url = checkout_open(invoice=found, ip_address=client_ip(request),
                            return_url=portal_url(token))
    except ValidationError as exc:
        report_refusal(request, exc)
    except GatewayError as exc:
        logger.warning("Pay online for invoice %s failed: %s", found.pk, exc)
        messages.error(request, "Online payment is not available right now: nothing was "
                                "charged. Please try again in a few minutes, or pay by one of "
                                "the other methods shown below.")
    else:
        response = HttpResponseRedirect(url)
        response.status_code = 303
        return response
    return redirect("invoice_portal:invoice", token=token)
