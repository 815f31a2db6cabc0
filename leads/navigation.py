from crmconnect.core.navigation import (
    MenuItem,
    SearchProvider,
    dashboard_widgets,
    register_menu,
    search_providers,
)

from . import queries
from .views.interactions import appointments_widget_context

VIEW_LEAD = ("leads.view_lead",)

register_menu(
    MenuItem(section="CRM", label="Leads", url_name="leads:board", permissions=VIEW_LEAD,
             icon="kanban", order=20),
    MenuItem(section="CRM", label="Opportunities", url_name="leads:opportunities",
             permissions=VIEW_LEAD, icon="graph-up-arrow", order=25),
    MenuItem(section="Settings", label="Lead pipelines", url_name="leads:pipelines",
             permissions=("leads.view_pipeline",), icon="diagram-3", order=40),
    MenuItem(section="Settings", label="Lead statuses", url_name="leads:statuses",
             permissions=("leads.view_leadstatus",), icon="list-ol", order=41),
    MenuItem(section="Settings", label="Lead sources", url_name="leads:sources",
             permissions=("leads.view_leadsource",), icon="box-arrow-in-right", order=42),
    MenuItem(section="Settings", label="Lost reasons", url_name="leads:lost_reasons",
             permissions=("leads.view_lostreason",), icon="x-octagon", order=43),
    MenuItem(section="Settings", label="Opportunity statuses",
             url_name="leads:opportunity_statuses",
             permissions=("leads.view_opportunitystatus",), icon="flag", order=44),
    MenuItem(section="Settings", label="Custom fields", url_name="leads:custom_fields",
             permissions=("leads.view_customfield",), icon="input-cursor-text", order=45),
)

search_providers.append(SearchProvider(label="Leads", search=queries.lead_search,
                                       permissions=VIEW_LEAD))


def _uncontacted(request):
    return queries.uncontacted_leads(request.user)


dashboard_widgets.register(
    key="uncontacted-leads", title="New uncontacted leads",
    template="leads/widgets/uncontacted.html", permissions=VIEW_LEAD,
    context=_uncontacted, order=10,
)
dashboard_widgets.register(
    key="appointments", title="Upcoming appointments",
    template="leads/widgets/appointments.html", permissions=VIEW_LEAD,
    context=appointments_widget_context, order=30,
)
