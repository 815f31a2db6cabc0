from crmconnect.core.navigation import (
    MenuItem,
    SearchProvider,
    client_tabs,
    dashboard_widgets,
    lead_tabs,
    register_menu,
    search_providers,
)

VIEW_PROPOSAL = ("sales.view_proposal",)

register_menu(
    MenuItem(section="Sales", label="Proposals", url_name="sales:proposals",
             permissions=VIEW_PROPOSAL, icon="file-earmark-text", order=10),
    MenuItem(section="Sales", label="Items", url_name="sales:items",
             permissions=("sales.view_item",), icon="box-seam", order=60),
    MenuItem(section="Sales", label="Prices", url_name="sales:price_lists",
             permissions=("sales.view_pricelist",), icon="tags", order=61),
    MenuItem(section="Settings", label="Proposal templates", url_name="sales:proposal_templates",
             permissions=("sales.view_proposaltemplate",), icon="file-earmark-ruled", order=50),
    MenuItem(section="Settings", label="Proposal settings", url_name="sales:proposal_settings",
             permissions=("sales.change_proposalsettings",), icon="sliders", order=51),
)


def _search(user, text):
    from .queries import proposal_search
    return proposal_search(user, text)


search_providers.append(SearchProvider(label="Proposals", search=_search,
                                       permissions=VIEW_PROPOSAL))


# Context callables import their views lazily: this module loads while apps are set up.

def _expired_widget(request):
    from .widgets import expired_proposals_context
    return expired_proposals_context(request)


def _not_viewed_widget(request):
    from .widgets import not_viewed_proposals_context
    return not_viewed_proposals_context(request)


def _lead_proposals(request, lead):
    from .widgets import lead_proposals_context
    return lead_proposals_context(request, lead)


def _client_proposals(request, client):
    from .widgets import client_proposals_context
    return client_proposals_context(request, client)


def _client_pricing(request, client):
    from .views.pricing import client_pricing_context
    return client_pricing_context(request, client)


dashboard_widgets.register(
    key="expired-proposals", title="Expired proposals", template="sales/widgets/expired.html",
    permissions=VIEW_PROPOSAL, context=_expired_widget, order=40)
dashboard_widgets.register(
    key="proposals-not-viewed", title="Sent proposals not viewed",
    template="sales/widgets/not_viewed.html", permissions=VIEW_PROPOSAL,
    context=_not_viewed_widget, order=45)
lead_tabs.register(key="proposals", title="Proposals", template="sales/widgets/lead_tab.html",
                   permissions=VIEW_PROPOSAL, context=_lead_proposals, order=50)
client_tabs.register(key="proposals", title="Proposals", template="sales/widgets/client_tab.html",
                     permissions=VIEW_PROPOSAL, context=_client_proposals, order=50)
client_tabs.register(key="pricing", title="Pricing", template="sales/pricing/client_tab.html",
                     permissions=("sales.view_clientpricing",), context=_client_pricing,
                     order=60)
