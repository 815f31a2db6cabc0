"""The invoice page's actions and the conversions that make an invoice: each a POST that calls
one service and goes back to a page with what happened (or why not)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from crmconnect.core.pages import (
    portal_link_note,
    record_action,
    record_form_action,
    report_refusal,
)
from sales.models import Proposal, SalesOrder

from ..forms.invoices import CancelForm
from ..models import Invoice
from ..services import invoices as services

SEND = "billing.send_invoice"


def _invoice(request, pk):
    return get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk)


@require_POST
@permission_required("billing.issue_invoice", raise_exception=True)
def invoice_issue(request, pk):
    invoice = _invoice(request, pk)
    try:
        issued = services.invoice_issue(actor=request.user, invoice=invoice)
    except services.MissingTaxData as exc:
        messages.error(request, format_html(
            '{} <a href="{}" class="alert-link">Open the record of {}</a>', exc.message,
            exc.client.get_absolute_url(), exc.client))
    except ValidationError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, f"Invoice {issued.number} issued "
                                  f"({issued.get_status_display()}): send it to the client.")
    return redirect(invoice)


@require_POST
@permission_required(SEND, raise_exception=True)
def invoice_send(request, pk):
    invoice = _invoice(request, pk)
    to = services.recipient_email(invoice)
    return record_action(request, invoice,
                         lambda: services.invoice_send(actor=request.user, invoice=invoice),
                         lambda link: f"Invoice {invoice.number} is being emailed to {to} with "
                                      f"its PDF. {portal_link_note(link)}")


@require_POST
@permission_required(SEND, raise_exception=True)
def invoice_mark_sent(request, pk):
    invoice = _invoice(request, pk)
    return record_action(request, invoice,
                         lambda: services.invoice_mark_sent(actor=request.user, invoice=invoice),
                         lambda _: f"Invoice {invoice.number} marked as sent (no email).")


@require_POST
@permission_required(SEND, raise_exception=True)
def invoice_link(request, pk):
    invoice = _invoice(request, pk)
    return record_action(request, invoice,
                         lambda: services.invoice_regenerate_link(actor=request.user,
                                                                  invoice=invoice),
                         lambda link: f"New client link. {portal_link_note(link)}")


@require_POST
@permission_required("billing.cancel_invoice", raise_exception=True)
def invoice_cancel(request, pk):
    invoice = _invoice(request, pk)
    return record_form_action(
        request, invoice, CancelForm(request.POST),
        lambda data: services.invoice_cancel(actor=request.user, invoice=invoice,
                                             reason=data["reason"]),
        lambda cancelled: f"Invoice {cancelled.number} cancelled.", anchor="#cancel-panel")


@require_POST
@permission_required("billing.delete_invoice", raise_exception=True)
def invoice_delete(request, pk):
    invoice = _invoice(request, pk)
    try:
        services.invoice_delete(actor=request.user, invoice=invoice)
    except ValidationError as exc:
        report_refusal(request, exc)
        return redirect(invoice)
    reopened = (f" Sales order {invoice.sales_order.number} can be invoiced again."
                if invoice.sales_order_id else "")
    messages.success(request, f"Draft invoice {invoice.number} deleted.{reopened}")
    return redirect("billing:invoices")


# --- conversions ---------------------------------------------------------------------------

def _converted(request, source, convert):
    """Run `convert()` (a conversion service); open the new draft, or go back to `source`
    saying why not."""
    try:
        invoice = convert()
    except ValidationError as exc:
        report_refusal(request, exc)
        return redirect(source)
    messages.success(request, f"Draft invoice {invoice.number} created from {source.number}: "
                              "check it, then issue it.")
    return redirect(invoice)


@require_POST
@permission_required("billing.add_invoice", raise_exception=True)
def invoice_from_proposal(request, pk):
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    return _converted(request, proposal,
                      lambda: services.invoice_from_proposal(actor=request.user,
                                                             proposal=proposal))


@require_POST
@permission_required("billing.add_invoice", raise_exception=True)
def invoice_from_order(request, pk):
    order = get_object_or_404(SalesOrder.objects.visible_to(request.user), pk=pk)
    return _converted(request, order,
                      lambda: services.invoice_from_order(actor=request.user, order=order))
