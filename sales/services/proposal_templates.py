"""Proposal templates, the proposal settings, and what a new proposal starts with when it is
made from a lead, an opportunity, a client or a template."""

from decimal import Decimal

from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes
from crmconnect.company.models import VatRate
from crmconnect.core.richtext import clean_html

from ..models import ProposalSettings, ProposalTemplate
from .access import require
from .lines import line_values, lines_replace

TEMPLATE_FIELDS = ["name", "subject", "content", "terms", "active"]
SETTINGS_FIELDS = ["default_open_days", "follow_up_after_days",
                   "estimate_auto_convert_to_invoice_on_client_accept"]


def _store_lines(template, lines):
    """A template may have no lines (a cover letter and terms only)."""
    if not lines:
        template.lines.all().delete()
        return
    lines_replace(template, lines)


@transaction.atomic
def proposal_template_create(*, actor, lines, **values):
    require(actor, "sales.add_proposaltemplate")
    values["content"] = clean_html(values.get("content", ""))
    template = ProposalTemplate()
    apply_changes(template, values, TEMPLATE_FIELDS)
    template.full_clean()
    template.save()
    _store_lines(template, lines)
    activity_record(actor=actor, event="proposaltemplate.created", record=template,
                    description=f"Proposal template “{template.name}” created")
    return template


@transaction.atomic
def proposal_template_update(*, actor, template, lines, **values):
    require(actor, "sales.change_proposaltemplate")
    template = ProposalTemplate.objects.select_for_update().get(pk=template.pk)
    if "content" in values:
        values["content"] = clean_html(values["content"])
    changes = apply_changes(template, values, TEMPLATE_FIELDS)
    template.full_clean()
    template.save()
    _store_lines(template, lines)
    activity_record(actor=actor, event="proposaltemplate.updated", record=template,
                    description=f"Proposal template “{template.name}” updated",
                    changes=changes)
    return template


@transaction.atomic
def proposal_template_delete(*, actor, template):
    """Proposals made from the template keep their copy of its content and lines."""
    require(actor, "sales.delete_proposaltemplate")
    template = ProposalTemplate.objects.select_for_update().get(pk=template.pk)
    activity_record(actor=actor, event="proposaltemplate.deleted", record=None,
                    description=f"Proposal template “{template.name}” deleted",
                    changes={"name": [template.name, None]})
    template.delete()


@transaction.atomic
def proposal_settings_update(*, actor, **values):
    require(actor, "sales.change_proposalsettings")
    ProposalSettings.load()
    current = ProposalSettings.objects.select_for_update().get(pk=1)
    changes = apply_changes(current, values, SETTINGS_FIELDS)
    current.full_clean()
    current.save()
    if changes:
        activity_record(actor=actor, event="settings.updated", record=current,
                        description=f"Proposal settings updated: {', '.join(changes)}",
                        changes=changes)
    return current


# --- a new proposal's starting values ------------------------------------------------------

def _default_vat():
    return (VatRate.objects.filter(active=True, is_default=True).first()
            or VatRate.objects.filter(active=True).first())


def _value_line(opportunity):
    """The opportunity's estimated value as the proposal's first line."""
    vat = _default_vat()
    summary = opportunity.description.strip().splitlines()[0] if opportunity.description else ""
    return {"item": None, "description": summary[:200] or "Services as discussed",
            "quantity": Decimal(1), "unit": "", "unit_price": opportunity.value,
            "discount_percent": Decimal(0),
            "vat_rate": vat.rate if vat else Decimal(0),
            "vat_category": vat.category if vat else "Z", "price_source": ""}


def proposal_initial_from(*, lead=None, client=None, template=None):
    """The header values and lines a new proposal starts with: from a lead or opportunity
    (its client, contact person, email, currency and, for an opportunity, its value as a
    first line), from a client (its primary contact and currency) and from a template
    (subject, cover letter, terms and lines). The caller has checked that the user may see
    each of them. Returns (initial, lines)."""
    initial, lines = {}, []
    client = client or (lead.client if lead is not None else None)
    if client is not None:
        contact = client.primary_contact
        initial.update(client=client, contact=contact, currency=client.currency)
        if contact is not None:
            initial.update(recipient_name=str(contact), recipient_email=contact.email)
        initial["subject"] = f"Proposal for {client.name}"
    if lead is not None:
        initial.update(lead=lead, recipient_name=lead.name, currency=lead.currency,
                       subject=f"Proposal for {lead.company or lead.name}")
        initial["recipient_email"] = lead.email or initial.get("recipient_email", "")
        if lead.is_opportunity and lead.value:
            lines = [_value_line(lead)]
    if template is not None:
        initial.update(template=template, content=template.content, terms=template.terms)
        initial["subject"] = template.subject or initial.get("subject", "")
        lines = line_values(template.lines.select_related("item")) or lines
    return initial, lines
