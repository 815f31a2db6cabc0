"""Invoices: the list (filters, exports, the unpaid invoices aged for the finance manager),
the invoice page and the invoice form (drafts only). The page's actions are in
invoice_actions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_fsm import can_proceed

from crmconnect.activity.queries import record_history
from crmconnect.core.pages import form_methods, posted
from sales.forms.proposals import line_formset
from sales.services.lines import line_values
from sales.trail import document_trail
from sales.views.lists import document_export, document_list, visible_client
from sales.views.proposals import lines_form_page

from .. import queries
from ..exports import INVOICES, unpaid_invoices_export
from ..filters import VIEW_CHOICES, InvoiceFilter
from ..forms.invoices import CancelForm, InvoiceForm, invoice_initial
from ..models import Invoice
from ..pdf import invoice_pdf as render_invoice_pdf
from ..services import invoices as services
from ..services.payments import client_credit

FORM_TEMPLATE = "billing/invoices/form.html"
VIEW = "billing.view_invoice"
CHANGE = "billing.change_invoice"
EXPORT = "billing.export_invoice"
SEND = "billing.send_invoice"
ADD_PAYMENT = "billing.add_payment"


def _filterset(request, invoices):
    return InvoiceFilter(request.GET, queryset=invoices, request=request)


@require_GET
@permission_required(VIEW, raise_exception=True)
def invoice_list(request):
    return document_list(request, _filterset(request, queries.invoice_list(request.user)),
                         "billing/invoices/list.html", views=VIEW_CHOICES)


@require_GET
@permission_required(EXPORT, raise_exception=True)
def invoice_export(request):
    return document_export(
        request, _filterset(request, queries.invoice_export_rows(request.user)), INVOICES)


@require_GET
@permission_required(EXPORT, raise_exception=True)
def unpaid_export(request):
    """The receivable invoices the user may see (the list's filters apply too), oldest due
    date first, each balance in its ageing column (see billing.exports.ageing_column)."""
    filterset = _filterset(request, queries.invoice_export_rows(request.user).receivable())
    filterset.filters["o"].default = "due_date"
    return document_export(request, filterset, unpaid_invoices_export(timezone.localdate()))


# --- the form ----------------------------------------------------------------------------

@form_methods
@permission_required("billing.add_invoice", raise_exception=True)
def invoice_create(request):
    client = visible_client(request, request.GET.get("client", ""))
    form = InvoiceForm(posted(request), initial=invoice_initial(client), user=request.user)
    formset = line_formset(posted(request))

    def save(values, line_rows):
        invoice = services.invoice_create(actor=request.user, lines=line_rows, **values)
        messages.success(request, f"Invoice {invoice.number} created as a draft: issue it "
                                  "to give it its number.")
        return redirect(invoice)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": "Add Invoice",
        "cancel_url": client.get_absolute_url() if client else reverse("billing:invoices"),
    }, save)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def invoice_edit(request, pk):
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk)
    if not invoice.is_draft:
        messages.error(request, f"Invoice {invoice.number} is issued: it cannot be edited. "
                                "Corrections are made with a credit note.")
        return redirect(invoice)
    form = InvoiceForm(posted(request), instance=invoice, user=request.user)
    formset = line_formset(posted(request),
                           lines=line_values(invoice.lines.select_related("item")))

    def save(values, line_rows):
        saved = services.invoice_update(actor=request.user, invoice=invoice, lines=line_rows,
                                        **values)
        messages.success(request, f"Invoice {saved.number} saved.")
        return redirect(saved)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": f"Edit invoice {invoice.number}",
        "invoice": invoice,
        "cancel_url": invoice.get_absolute_url(),
    }, save)


# --- the invoice page --------------------------------------------------------------------

def _actions(user, invoice):
    """Which buttons the page offers: what the status allows and the user's role permits.
    The services check the same again."""
    can = user.has_perm
    draft, cancelled = invoice.is_draft, invoice.status == Invoice.Status.CANCELLED
    sendable = can(SEND) and not draft and not cancelled
    return {
        "edit": can(CHANGE) and draft,
        "delete": can("billing.delete_invoice") and draft,
        "issue": can("billing.issue_invoice") and draft,
        "send": sendable,
        "mark_sent": sendable and not invoice.sent,
        "new_link": sendable,
        "cancel": can("billing.cancel_invoice") and can_proceed(invoice.cancel),
        "payment": can(ADD_PAYMENT) and invoice.is_open,
    }


@require_GET
@permission_required(VIEW, raise_exception=True)
def invoice_detail(request, pk):
    invoice = get_object_or_404(queries.invoice_detail(request.user), pk=pk)
    actions = _actions(request.user, invoice)
    credit = (client_credit(invoice.client, invoice.currency).get(invoice.currency)
              if invoice.is_open else None)
    return render(request, "billing/invoices/detail.html", {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "totals": invoice.totals(),
        "total_ron": invoice.total_ron,
        "today": timezone.localdate(),
        "allocations": queries.invoice_allocations(invoice, request.user),
        "credit": credit,
        "trail": document_trail(invoice, request.user),
        "history_rows": record_history(invoice),
        "actions": actions,
        "recipient": services.recipient_email(invoice) if actions["send"] else "",
        "cancel_form": CancelForm(),
    })


@require_GET
@permission_required(VIEW, raise_exception=True)
def invoice_pdf(request, pk):
    invoice = get_object_or_404(queries.invoice_detail(request.user), pk=pk)
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response
