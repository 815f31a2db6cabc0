"""Sales orders: the list (filters, export), the order page with its actions, and the order
form (entered directly, e.g. repeating an earlier order at today's prices)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from crmconnect.activity.queries import record_history
from crmconnect.core.exports import Export
from crmconnect.core.pages import action_result, form_methods, posted

from .. import queries, queries_orders
from ..filters_orders import OrderFilter
from ..forms.orders import CancelForm, OrderForm, WarehouseForm, order_initial
from ..forms.proposals import line_formset
from ..models import Proposal, SalesOrder
from ..services import orders as services
from ..services.lines import line_values
from ..trail import document_trail
from ..widgets import order_actions
from .lists import document_export, document_list, visible_client
from .proposals import lines_form_page

FORM_TEMPLATE = "sales/orders/form.html"
CONFIRM = "sales.confirm_salesorder"
CHANGE = "sales.change_salesorder"
CLOSED = (SalesOrder.Status.INVOICED, SalesOrder.Status.CANCELLED)

ORDERS = Export("Orders", [
    ("Number", lambda order: order.number),
    ("Client", lambda order: order.client.name),
    ("Client reference", lambda order: order.client_reference),
    ("Status", lambda order: order.get_status_display()),
    ("Awaiting warehouse", lambda order: "yes" if order.awaiting_warehouse else "no"),
    ("Date", lambda order: order.date),
    ("Currency", lambda order: order.currency),
    ("Subtotal", lambda order: order.subtotal),
    ("Discount", lambda order: order.discount_total),
    ("VAT", lambda order: order.vat_total),
    ("Total", lambda order: order.total),
    ("Exchange rate", lambda order: order.exchange_rate),
    ("Agent", lambda order: str(order.assigned_to or "")),
    ("Proposal", lambda order: Proposal(pk=order.proposal_id).number if order.proposal_id
     else ""),
])


def _filterset(request):
    return OrderFilter(request.GET, queryset=queries_orders.order_list(request.user),
                       request=request)


@require_GET
@permission_required("sales.view_salesorder", raise_exception=True)
def order_list(request):
    return document_list(request, _filterset(request), "sales/orders/list.html",
                         statuses=SalesOrder.Status.choices)


@require_GET
@permission_required("sales.export_salesorder", raise_exception=True)
def order_export(request):
    return document_export(request, _filterset(request), ORDERS)


# --- the form ----------------------------------------------------------------------------

@form_methods
@permission_required("sales.add_salesorder", raise_exception=True)
def order_create(request):
    repeat = queries_orders.repeat_source(request.user, request.GET.get("repeat", ""))
    client_pk = request.GET.get("client", "") or (str(repeat.client_id) if repeat else "")
    client = visible_client(request, client_pk)
    initial, lines = order_initial(client=client, repeat=repeat if client else None)
    form = OrderForm(posted(request), initial=initial, user=request.user)
    formset = line_formset(posted(request), lines=lines)

    def save(values, line_rows):
        order = services.sales_order_create(actor=request.user, lines=line_rows, **values)
        messages.success(request, f"Sales order {order.number} created.")
        return redirect(order)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": f"Repeat order {repeat.number}" if repeat and client else "New sales order",
        "client": client,
        "repeat": repeat if client else None,
        "client_orders": queries_orders.client_orders(
            request.user, client, queries_orders.REPEAT_CHOICES) if client else [],
        "client_choices": None if client else queries.client_choices(request.user),
        "cancel_url": client.get_absolute_url() if client else reverse("sales:orders"),
    }, save)


@form_methods
@permission_required(CHANGE, raise_exception=True)
def order_edit(request, pk):
    order = get_object_or_404(SalesOrder.objects.visible_to(request.user), pk=pk)
    if not order.is_editable:
        messages.error(request, f"A {order.get_status_display().lower()} order cannot be "
                                "edited: only new orders can.")
        return redirect(order)
    form = OrderForm(posted(request), instance=order, user=request.user)
    formset = line_formset(posted(request), lines=line_values(order.lines.select_related("item")))

    def save(values, line_rows):
        saved = services.sales_order_update(actor=request.user, order=order, lines=line_rows,
                                            **values)
        messages.success(request, f"Sales order {saved.number} saved.")
        return redirect(saved)

    return lines_form_page(request, form, formset, FORM_TEMPLATE, {
        "title": f"Edit sales order {order.number}",
        "order": order,
        "cancel_url": order.get_absolute_url(),
    }, save)


# --- the order page ----------------------------------------------------------------------

def _actions(user, order):
    """Which buttons the page offers: what the status allows and the user's role permits.
    The services check the same again."""
    can = user.has_perm
    return {
        "edit": can(CHANGE) and order.is_editable,
        "confirm": can(CONFIRM) and can_proceed(order.confirm),
        "cancel": can(CONFIRM) and can_proceed(order.cancel),
        "warehouse": can(CHANGE) and order.status not in CLOSED,
        "repeat": can("sales.add_salesorder"),
    }


@require_GET
@permission_required("sales.view_salesorder", raise_exception=True)
def order_detail(request, pk):
    order = get_object_or_404(queries.order_detail(request.user), pk=pk)
    return render(request, "sales/orders/detail.html", {
        "order": order,
        "lines": list(order.lines.all()),
        "totals": order.totals(),
        "total_ron": order.total_ron,
        "trail": document_trail(order, request.user),
        "history_rows": record_history(order),
        "actions": _actions(request.user, order),
        "slot_actions": list(order_actions.visible(request, order=order)),
        "cancel_form": CancelForm(),
    })


# --- the order's actions -----------------------------------------------------------------

def _order(request, pk):
    return get_object_or_404(SalesOrder.objects.visible_to(request.user), pk=pk)


@require_POST
@permission_required(CONFIRM, raise_exception=True)
def order_confirm(request, pk):
    order = _order(request, pk)
    return action_result(
        request, lambda: services.sales_order_confirm(actor=request.user, order=order),
        success=f"Sales order {order.number} confirmed.", redirect_to=order)


@require_POST
@permission_required(CONFIRM, raise_exception=True)
def order_cancel(request, pk):
    order = _order(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not cancelled: say why the order is cancelled.")
        return redirect(order.get_absolute_url() + "#cancel-panel")
    return action_result(
        request, lambda: services.sales_order_cancel(actor=request.user, order=order,
                                                     reason=form.cleaned_data["reason"]),
        success=f"Sales order {order.number} cancelled.", redirect_to=order)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def order_warehouse(request, pk):
    order = _order(request, pk)
    form = WarehouseForm(request.POST)
    awaiting = form.is_valid() and form.cleaned_data["awaiting"]
    return action_result(
        request, lambda: services.sales_order_set_warehouse(actor=request.user, order=order,
                                                            awaiting=awaiting),
        success=("Flagged: awaiting warehouse confirmation." if awaiting
                 else "Warehouse confirmation recorded."),
        redirect_to=order)
