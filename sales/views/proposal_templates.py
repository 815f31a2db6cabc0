"""Proposal templates (content and lines for a kind of quote) and the proposal settings."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import action_result, form_methods, form_page, posted

from .. import queries
from ..forms.proposal_templates import ProposalSettingsForm, ProposalTemplateForm
from ..forms.proposals import line_formset
from ..models import ProposalSettings, ProposalTemplate
from ..services import proposal_templates as services
from ..services.lines import line_values
from .proposals import lines_form_page


@require_GET
@permission_required("sales.view_proposaltemplate", raise_exception=True)
def template_list(request):
    return render(request, "sales/proposals/template_list.html",
                  {"templates": queries.template_list()})


def _editor(request, form, formset, title, save):
    return lines_form_page(request, form, formset, "sales/proposals/template_form.html",
                           {"title": title, "cancel_url": reverse("sales:proposal_templates")},
                           save)


@form_methods
@permission_required("sales.add_proposaltemplate", raise_exception=True)
def template_create(request):
    form = ProposalTemplateForm(posted(request))
    formset = line_formset(posted(request), required=False)

    def save(values, lines):
        template = services.proposal_template_create(actor=request.user, lines=lines, **values)
        messages.success(request, f"Template “{template.name}” added.")
        return redirect("sales:proposal_templates")

    return _editor(request, form, formset, "New proposal template", save)


@form_methods
@permission_required("sales.change_proposaltemplate", raise_exception=True)
def template_edit(request, pk):
    template = get_object_or_404(ProposalTemplate, pk=pk)
    form = ProposalTemplateForm(posted(request), instance=template)
    formset = line_formset(posted(request),
                           lines=line_values(template.lines.select_related("item")),
                           required=False)

    def save(values, lines):
        saved = services.proposal_template_update(actor=request.user, template=template,
                                                  lines=lines, **values)
        messages.success(request, f"Template “{saved.name}” saved.")
        return redirect("sales:proposal_templates")

    return _editor(request, form, formset, f"Edit template {template.name}", save)


@require_POST
@permission_required("sales.delete_proposaltemplate", raise_exception=True)
def template_delete(request, pk):
    template = get_object_or_404(ProposalTemplate, pk=pk)
    return action_result(
        request, lambda: services.proposal_template_delete(actor=request.user,
                                                           template=template),
        success=f"Template “{template.name}” deleted; proposals made from it keep their "
                "content.", redirect_to="sales:proposal_templates")


@form_methods
@permission_required("sales.change_proposalsettings", raise_exception=True)
def proposal_settings(request):
    form = ProposalSettingsForm(posted(request), instance=ProposalSettings.load())

    def save(data):
        services.proposal_settings_update(actor=request.user, **data)
        messages.success(request, "Proposal settings saved.")
        return redirect("sales:proposal_settings")

    return form_page(request, form, "sales/proposals/settings.html", {}, save)
