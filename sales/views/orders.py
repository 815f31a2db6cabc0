"""Sales orders: the read-only page of an order (its own list and actions come later)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .. import queries
from ..models import Proposal


@require_GET
@permission_required("sales.view_salesorder", raise_exception=True)
def order_detail(request, pk):
    order = get_object_or_404(queries.order_detail(request.user), pk=pk)
    proposal = order.proposal
    return render(request, "sales/orders/detail.html", {
        "order": order,
        "lines": list(order.lines.all()),
        "totals": order.totals(),
        "total_ron": None if order.currency == "RON" else order.total_ron,
        "proposal_visible": proposal is not None and Proposal.objects.visible_to(
            request.user).filter(pk=proposal.pk).exists(),
    })
