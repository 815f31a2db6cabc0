"""The columns of the leads and opportunities downloads."""

from crmconnect.core.exports import Export, local_moment

from .queries import from_cents


def _text(value):
    return "" if value is None else str(value)


CONTACT_COLUMNS = [
    ("ID", lambda lead: lead.pk),
    ("Name", lambda lead: lead.name),
    ("Company", lambda lead: lead.company),
    ("Position", lambda lead: lead.position),
    ("Email", lambda lead: lead.email),
    ("Phone", lambda lead: lead.phone),
    ("City", lambda lead: lead.city),
    ("Industry", lambda lead: lead.industry),
]
LEAD_COLUMNS = [
    *CONTACT_COLUMNS,
    ("Pipeline", lambda lead: lead.pipeline.name),
    ("Status", lambda lead: lead.status.name),
    ("Source", lambda lead: _text(lead.source)),
    ("Assigned agent", lambda lead: _text(lead.assigned_to)),
    ("Value", lambda lead: lead.value),
    ("Currency", lambda lead: lead.currency),
    ("Tags", lambda lead: ", ".join(tag.name for tag in lead.tags.all())),
    ("Status changed", lambda lead: local_moment(lead.status_changed_at)),
    ("Last contacted", lambda lead: local_moment(lead.last_contacted_at)),
    ("Lost", lambda lead: local_moment(lead.lost_at)),
    ("Lost reason", lambda lead: _text(lead.lost_reason)),
    ("Junk", lambda lead: "yes" if lead.is_junk else "no"),
    ("Created", lambda lead: local_moment(lead.created_at)),
]
OPPORTUNITY_COLUMNS = [
    *CONTACT_COLUMNS,
    ("Status", lambda opportunity: _text(opportunity.opportunity_status)),
    ("Value", lambda opportunity: opportunity.value),
    ("Currency", lambda opportunity: opportunity.currency),
    ("Probability %", lambda opportunity: opportunity.probability),
    ("Weighted value", lambda opportunity: from_cents(opportunity.weighted_cents)),
    ("Close date", lambda opportunity: opportunity.close_date),
    ("Owner", lambda opportunity: _text(opportunity.assigned_to)),
    ("Created", lambda opportunity: local_moment(opportunity.created_at)),
]


LEADS = Export("Leads", LEAD_COLUMNS)
OPPORTUNITIES = Export("Opportunities", OPPORTUNITY_COLUMNS)
