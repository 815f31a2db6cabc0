"""The document lists (proposals, orders, contracts): one filtered, paginated page and one
export of the same filters."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render

from crmconnect.core.pagination import paginate

from .. import queries

PER_PAGE = 25
# Lists over many documents count at most this many matches ("1000+ results").
COUNT_CAP = 1_000
NOT_FILTERS = {"page", "o"}


def visible_client(request, pk):
    """The client named by `pk` (a query parameter) if the user may see it, else None."""
    return queries.visible_clients(request.user).filter(pk=pk).first() if pk.isdigit() else None


def document_list(request, filterset, template, **context):
    return render(request, template, {
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs, PER_PAGE, count_cap=COUNT_CAP),
        "filtered": any(value for key, value in request.GET.items() if key not in NOT_FILTERS),
        "filter_client": visible_client(request, request.GET.get("client", "")),
        **context,
    })


def document_export(request, filterset, export):
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters: " + "; ".join(f"{field}: {' '.join(errors)}"
                                            for field, errors in filterset.errors.items()),
            content_type="text/plain; charset=utf-8")
    response = export.response(filterset.qs, request.GET.get("format", "csv"))
    return response or HttpResponseBadRequest("Unknown export format: use csv or xlsx.")
