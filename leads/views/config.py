"""The leads configuration pages: one list, form and delete action per kind of setting
(pipelines, statuses, sources, lost reasons, opportunity statuses, custom fields)."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import action_result, form_methods, form_page, posted
from crmconnect.core.pagination import paginate

from .. import config_services
from ..forms import (
    CustomFieldForm,
    LeadSourceForm,
    LeadStatusForm,
    LostReasonForm,
    OpportunityStatusForm,
    PipelineForm,
)
from ..models import CustomField, LeadSource, LeadStatus, LostReason, OpportunityStatus, Pipeline

PER_PAGE = 100


@dataclass(frozen=True)
class ConfigKind:
    stem: str  # URL names: <stem>_add, <stem>_edit, <stem>_delete; the list is `list_name`
    list_name: str
    model: type
    form: type
    title: str
    columns: tuple
    intro: str

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def noun_plural(self):
        return self.model._meta.verbose_name_plural

    @property
    def row_template(self):
        return f"leads/config/_{self.stem}_row.html"

    def perm(self, action):
        return f"leads.{action}_{self.model._meta.model_name}"

    @property
    def add_name(self):
        return f"leads:{self.stem}_add"

    @property
    def edit_name(self):
        return f"leads:{self.stem}_edit"

    @property
    def delete_name(self):
        return f"leads:{self.stem}_delete"

    def rows(self, request):
        if self.model is Pipeline:
            return (Pipeline.objects.annotate(status_count=Count("statuses"))
                    .order_by("order", "name"))
        if self.model is LeadStatus:
            rows = LeadStatus.objects.select_related("pipeline").order_by(
                "pipeline__order", "pipeline__name", "pipeline", "order", "id")
            pipeline = request.GET.get("pipeline", "")
            return rows.filter(pipeline=pipeline) if pipeline.isdigit() else rows
        return self.model.objects.all()


KINDS = {kind.stem: kind for kind in [
    ConfigKind("pipeline", "pipelines", Pipeline, PipelineForm, "Lead pipelines",
               ("Name", "Statuses", "Order", "Active"),
               "Pipelines group the stages a lead goes through; the Kanban shows one at a "
               "time."),
    ConfigKind("status", "statuses", LeadStatus, LeadStatusForm, "Lead statuses",
               ("Status", "Pipeline", "Order"),
               "Statuses are the stages of a pipeline: one Kanban column each."),
    ConfigKind("source", "sources", LeadSource, LeadSourceForm, "Lead sources",
               ("Name", "Active"), "Sources say where leads come from (web form, referral…)."),
    ConfigKind("lost_reason", "lost_reasons", LostReason, LostReasonForm, "Lost reasons",
               ("Reason", "Active"), "Lost reasons are asked when a lead is marked lost."),
    ConfigKind("opportunity_status", "opportunity_statuses", OpportunityStatus,
               OpportunityStatusForm, "Opportunity statuses", ("Status", "Outcome", "Order"),
               "Opportunity statuses are the stages of a deal, each open, won or lost."),
    ConfigKind("custom_field", "custom_fields", CustomField, CustomFieldForm, "Custom fields",
               ("Label", "Key", "Type", "Required", "Active", "Order"),
               "Custom fields add your own fields to every lead and opportunity form."),
]}


def _config_view(action):
    """The view's kind comes from the URL; the user needs the kind's `action` permission."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, kind, **kwargs):
            kind = KINDS[kind]
            if not request.user.has_perm(kind.perm(action)):
                raise PermissionDenied
            return view(request, kind, *args, **kwargs)
        return wrapped
    return decorator


def _list_url(kind, item=None):
    url = reverse(f"leads:{kind.list_name}")
    pipeline_id = getattr(item, "pipeline_id", None)
    return f"{url}?pipeline={pipeline_id}" if pipeline_id else url


@require_GET
@_config_view("view")
def config_list(request, kind):
    context = {"kind": kind,
               "nav": [(other, reverse(f"leads:{other.list_name}")) for other in KINDS.values()
                       if request.user.has_perm(other.perm("view"))],
               "page_obj": paginate(request, kind.rows(request), PER_PAGE),
               "can_add": request.user.has_perm(kind.perm("add")),
               "can_change": request.user.has_perm(kind.perm("change")),
               "can_delete": request.user.has_perm(kind.perm("delete"))}
    if kind.model is LeadStatus:
        context["pipelines"] = Pipeline.objects.all()
        context["pipeline_id"] = request.GET.get("pipeline", "")
    return render(request, "leads/config/list.html", context)


def _form_page(request, kind, item, save):
    initial = {}
    if kind.model is LeadStatus and item is None:
        initial["pipeline"] = request.GET.get("pipeline") or Pipeline.objects.filter(
            is_default=True).values_list("pk", flat=True).first()
    form = kind.form(posted(request), instance=item, initial=initial)
    title = f"Edit {kind.noun} “{item}”" if item else f"Add {kind.noun}"
    return form_page(request, form, "leads/config/form.html",
                     {"kind": kind, "title": title, "cancel_url": _list_url(kind, item)}, save)


@form_methods
@_config_view("add")
def config_add(request, kind):
    def save(data):
        item = config_services.config_item_create(actor=request.user, model=kind.model, **data)
        messages.success(request, f"{kind.noun.capitalize()} “{item}” added.")
        return redirect(_list_url(kind, item))

    return _form_page(request, kind, None, save)


@form_methods
@_config_view("change")
def config_edit(request, kind, pk):
    item = get_object_or_404(kind.model, pk=pk)

    def save(data):
        saved = config_services.config_item_update(actor=request.user, item=item, **data)
        messages.success(request, f"{kind.noun.capitalize()} “{saved}” saved.")
        return redirect(_list_url(kind, saved))

    return _form_page(request, kind, item, save)


@require_POST
@_config_view("delete")
def config_delete(request, kind, pk):
    item = get_object_or_404(kind.model, pk=pk)
    return action_result(
        request, lambda: config_services.config_item_delete(actor=request.user, item=item),
        success=f"{kind.noun.capitalize()} “{item}” deleted.",
        redirect_to=_list_url(kind, item))
