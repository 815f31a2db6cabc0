"""The Kanban: the page with one empty column per status, each column's cards loaded lazily
(htmx) and paginated by keyset, and the move of a card to another status."""

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import queries, services
from ..filters import BOARD_FIELDS, LeadFilter
from ..models import Lead, LeadStatus
from . import lists


def _board_filters(request):
    """The board's filters present in the query string, for the columns' URLs."""
    return {key: request.GET[key] for key in BOARD_FIELDS if request.GET.get(key)}


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def board(request):
    """/admin/leads: the Kanban; with ?view=list or ?filter=… the list (the guide's links)."""
    if request.GET.get("filter") == "opportunities":
        return redirect("leads:opportunities")
    if request.GET.get("view") == "list" or "filter" in request.GET:
        return lists.lead_list(request)
    pipeline = queries.board_pipeline(request.GET.get("pipeline"))
    filterset = LeadFilter(request.GET, queryset=queries.board_leads(request.user),
                           request=request)
    filters = _board_filters(request)
    return render(request, "leads/board/board.html", {
        "board_fields": [filterset.form[name] for name in BOARD_FIELDS],
        "pipeline": pipeline,
        "pipelines": queries.board_pipelines(),
        "columns": queries.board_columns(pipeline, filterset.qs) if pipeline else [],
        "count_cap": queries.COLUMN_COUNT_CAP,
        "column_query": urlencode(filters),
        "list_query": urlencode({"view": "list", **filters}),
        "filtered": bool(filters),
    })


def _keyset(value):
    """?before=<status_changed_at ISO>|<id> of the last card shown."""
    moved_at, _, pk = value.rpartition("|")
    moved_at = datetime.fromisoformat(moved_at)
    if moved_at.tzinfo is None:
        raise ValueError("the cursor's time has no time zone")
    return moved_at, int(pk)


@require_GET
@permission_required("leads.view_lead", raise_exception=True)
def column(request, status_pk):
    status = get_object_or_404(LeadStatus, pk=status_pk)
    before = None
    if request.GET.get("before"):
        try:
            before = _keyset(request.GET["before"])
        except ValueError:
            return HttpResponseBadRequest("Invalid ?before: expected <ISO date-time>|<id>.")
    filterset = LeadFilter(request.GET, queryset=queries.board_leads(request.user),
                           request=request)
    cards, more = queries.column_cards(filterset.qs, status, before)
    more_url = None
    if more:
        last = cards[-1]
        query = {**_board_filters(request),
                 "before": f"{last.status_changed_at.isoformat()}|{last.pk}"}
        more_url = f"{reverse('leads:column', args=[status.pk])}?{urlencode(query)}"
    return render(request, "leads/board/_cards.html", {
        "cards": cards, "more_url": more_url, "first_page": before is None})


def _refused(request, lead, message, status):
    """A move that changed nothing: the Kanban (htmx) gets the reason as text and puts the
    card back; the record page gets it as a message."""
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    messages.error(request, message)
    return redirect(lists.safe_next(request, lead.get_absolute_url()))


@require_POST
@permission_required("leads.change_lead", raise_exception=True)
def move(request, pk):
    lead = get_object_or_404(Lead.objects.visible_to(request.user), pk=pk)
    status_pk = request.POST.get("status", "")
    status = (LeadStatus.objects.select_related("pipeline").filter(pk=status_pk).first()
              if status_pk.isdigit() else None)
    try:
        if status is None:
            raise ValidationError("Choose the status to move the lead to.")
        lead = services.lead_change_status(actor=request.user, lead=lead, status=status)
    except ValidationError as exc:
        return _refused(request, lead, " ".join(exc.messages), 400)
    except PermissionDenied:
        return _refused(request, lead, "You may not change this lead.", 403)
    if request.htmx:
        return render(request, "leads/board/_card.html", {"lead": lead})
    messages.success(request, f"{lead} moved to {status}.")
    return redirect(lists.safe_next(request, lead.get_absolute_url()))
