"""Payments: "Record Payment" on an invoice, advance payments on a client's account, the
payments list and its export, the payment page (apply its credit, void it) and the receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.money import money_text
from crmconnect.core.pages import form_methods, form_page, posted, record_form_action
from sales.views.lists import document_export, document_list, visible_client

from .. import queries_payments as queries
from ..exports_payments import PAYMENTS
from ..filters_payments import PaymentFilter
from ..forms.payments import (
    AdvancePaymentForm,
    ApplyCreditForm,
    CreditAmountForm,
    PaymentForm,
    VoidForm,
)
from ..models import Invoice
from ..pdf import receipt_pdf
from ..services import payments as services

VIEW = "billing.view_payment"
ADD = "billing.add_payment"
VOID = "billing.delete_payment"
FORM_TEMPLATE = "billing/payments/form.html"


def _invoice_now(invoice):
    """What a payment or credit did to `invoice`, read again after the service."""
    invoice.refresh_from_db(fields=["status", "amount_paid"])
    return (f"invoice {invoice.number} is {invoice.get_status_display()}, balance "
            f"{money_text(invoice.balance)}")


# --- the list ----------------------------------------------------------------------------

def _filterset(request, payments):
    return PaymentFilter(request.GET, queryset=payments, request=request)


@require_GET
@permission_required(VIEW, raise_exception=True)
def payment_list(request):
    return document_list(request, _filterset(request, queries.payment_list(request.user)),
                         "billing/payments/list.html")


@require_GET
@permission_required("billing.export_payment", raise_exception=True)
def payment_export(request):
    return document_export(request, _filterset(request, queries.payment_export(request.user)),
                           PAYMENTS)


# --- recording money ---------------------------------------------------------------------

@form_methods
@permission_required(ADD, raise_exception=True)
def invoice_payment(request, pk):
    """"Record Payment" on an open invoice: the amount starts at the balance."""
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user)
                                .select_related("client"), pk=pk)
    if not invoice.is_open:
        messages.error(request, f"Invoice {invoice.number} is {invoice.get_status_display()}: "
                                "there is nothing to pay on it.")
        return redirect(invoice)
    form = PaymentForm(posted(request), initial={"amount": invoice.balance},
                       modes=queries.payment_modes_for(invoice))

    def save(data):
        payment = services.payment_record(actor=request.user, invoice=invoice, **data)
        excess = payment.unallocated
        kept = (f" {money_text(excess, payment.currency)} kept as client credit." if excess
                else "")
        messages.success(request, f"Payment {payment} of "
                                  f"{money_text(payment.amount, payment.currency)} recorded: "
                                  f"{_invoice_now(invoice)}.{kept}")
        return redirect(invoice)

    credit = services.client_credit(invoice.client, invoice.currency).get(invoice.currency)
    return form_page(request, form, FORM_TEMPLATE, {
        "title": f"Record payment on invoice {invoice.number}", "invoice": invoice,
        "credit": credit, "cancel_url": invoice.get_absolute_url(),
    }, save)


@form_methods
@permission_required(ADD, raise_exception=True)
def payment_create(request):
    """An advance payment: money on the client's account, applied to invoices later."""
    client = visible_client(request, request.GET.get("client", ""))
    form = AdvancePaymentForm(posted(request), initial={"client": client}, user=request.user)

    def save(data):
        payment = services.payment_record(actor=request.user, **data)
        messages.success(request, f"Advance payment {payment} of "
                                  f"{money_text(payment.amount, payment.currency)} recorded: it is "
                                  f"{payment.client}'s credit until applied to an invoice.")
        return redirect(payment)

    return form_page(request, form, FORM_TEMPLATE, {
        "title": "Record advance payment", "client": client,
        "cancel_url": client.get_absolute_url() if client else reverse("billing:payments"),
    }, save)


# --- the payment page --------------------------------------------------------------------

def _payment(request, pk):
    return get_object_or_404(queries.payment_detail(request.user), pk=pk)


@form_methods
@permission_required(VIEW, raise_exception=True)
def payment_detail(request, pk):
    """The payment; a POST applies the client's credit to one of the open invoices listed."""
    payment = _payment(request, pk)
    if request.method == "POST":
        return _apply_credit(request, payment)
    can_apply = (request.user.has_perm(ADD) and payment.voided_at is None
                 and payment.unallocated > 0)
    return render(request, "billing/payments/detail.html", {
        "payment": payment,
        "allocations": queries.payment_allocations(payment),
        "credit_invoices": queries.credit_invoices(request.user, payment) if can_apply else [],
        "can_apply": can_apply,
        "can_void": request.user.has_perm(VOID) and payment.voided_at is None,
        "void_form": VoidForm(),
    })


def _apply_credit(request, payment):
    if not request.user.has_perm(ADD):
        raise PermissionDenied

    def apply(data):
        invoice = get_object_or_404(queries.credit_invoice_rows(request.user, payment),
                                    pk=data["invoice"])
        return invoice, services.credit_apply(actor=request.user, invoice=invoice,
                                              amount=data["amount"])

    def applied(result):
        invoice, amount = result
        return (f"{money_text(amount, invoice.currency)} of {payment.client}'s credit applied: "
                f"{_invoice_now(invoice)}.")

    return record_form_action(request, payment, ApplyCreditForm(request.POST), apply, applied,
                              anchor="#apply-credit")


@require_POST
@permission_required(ADD, raise_exception=True)
def invoice_apply_credit(request, pk):
    """From the invoice page: the client's credit in its currency, up to `amount` (empty: as
    much as the balance takes)."""
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk)
    return record_form_action(
        request, invoice, CreditAmountForm(request.POST),
        lambda data: services.credit_apply(actor=request.user, invoice=invoice,
                                           amount=data["amount"]),
        lambda amount: (f"{money_text(amount, invoice.currency)} of the client's credit applied: "
                        f"{_invoice_now(invoice)}."))


@require_POST
@permission_required(VOID, raise_exception=True)
def payment_void(request, pk):
    payment = _payment(request, pk)
    return record_form_action(
        request, payment, VoidForm(request.POST),
        lambda data: services.payment_void(actor=request.user, payment=payment,
                                           reason=data["reason"]),
        lambda voided: f"Payment {voided} voided: the invoices it paid owe that money again.")


@require_GET
@permission_required(VIEW, raise_exception=True)
def payment_receipt(request, pk):
    payment = _payment(request, pk)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment}.pdf"'
    return response
