"""The leads list (filters, bulk actions, export) and the opportunities list."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pagination import paginate

from .. import exports, queries
from ..bulk import BulkActionForm, leads_bulk_apply
from ..filters import VIEW_CHOICES, LeadFilter, OpportunityFilter

PER_PAGE = 25
# Lists over a million leads count at most this many matches ("1000+ results").
COUNT_CAP = 1_000
NOT_FILTERS = {"page", "o", "view"}


def safe_next(request, default):
    """The `next` the form posted when it is a path of this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return default


def _filtered(request):
    return any(value for key, value in request.GET.items() if key not in NOT_FILTERS)


def _export(request, filterset, export):
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters: " + "; ".join(f"{field}: {' '.join(errors)}"
                                            for field, errors in filterset.errors.items()),
            content_type="text/plain; charset=utf-8")
    response = export.response(filterset.qs, request.GET.get("format", "csv"))
    return response or HttpResponseBadRequest("Unknown export format: use csv or xlsx.")


def _leads(request, queryset):
    return LeadFilter(request.GET, queryset=queryset, request=request)


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def lead_list(request):
    filterset = _leads(request, queries.lead_list(request.user))
    can_change = request.user.has_perm("leads.change_lead")
    return render(request, "leads/list/list.html", {
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs, PER_PAGE, count_cap=COUNT_CAP),
        "filtered": _filtered(request),
        "view": request.GET.get("filter", ""),
        "views": [("", "Active"), *VIEW_CHOICES],
        "bulk_form": BulkActionForm(user=request.user) if can_change else None,
    })


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def lead_bulk(request):
    back = safe_next(request, reverse("leads:list"))
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(
            error for errors in form.errors.values() for error in errors))
        return redirect(back)
    result = leads_bulk_apply(actor=request.user, data=form.cleaned_data)
    report = messages.warning if result.refused else messages.success
    report(request, result.summary())
    return redirect(back)


@require_GET
@permission_required("leads.export_lead", raise_exception=True)
def lead_export(request):
    return _export(request, _leads(request, queries.lead_list(request.user)), exports.LEADS)


def _opportunities(request):
    return OpportunityFilter(request.GET, queryset=queries.opportunity_list(request.user),
                             request=request)


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def opportunity_list(request):
    filterset = _opportunities(request)
    page = paginate(request, filterset.qs, PER_PAGE, count_cap=COUNT_CAP)
    return render(request, "leads/list/opportunities.html", {
        "filter": filterset,
        "page_obj": page,
        "rows": queries.with_weighted_value(page.object_list),
        "totals": queries.opportunity_totals(filterset.qs),
        "filtered": _filtered(request),
    })


@require_GET
@permission_required("leads.export_lead", raise_exception=True)
def opportunity_export(request):
    return _export(request, _opportunities(request), exports.OPPORTUNITIES)
