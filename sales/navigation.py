from importlib import import_module

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
VIEW_ORDER = ("sales.view_salesorder",)
VIEW_CONTRACT = ("sales.view_contract",)

register_menu(
    MenuItem(section="Sales", label="Proposals", url_name="sales:proposals",
             permissions=VIEW_PROPOSAL, icon="file-earmark-text", order=10),
    MenuItem(section="Sales", label="Orders", url_name="sales:orders",
             permissions=VIEW_ORDER, icon="cart-check", order=20),
    MenuItem(section="Sales", label="Contracts", url_name="sales:contracts",
             permissions=VIEW_CONTRACT, icon="file-earmark-lock", order=30),
    MenuItem(section="Sales", label="Items", url_name="sales:items",
             permissions=("sales.view_item",), icon="box-seam", order=60),
    MenuItem(section="Sales", label="Prices", url_name="sales:price_lists",
             permissions=("sales.view_pricelist",), icon="tags", order=61),
    MenuItem(section="Settings", label="Proposal templates", url_name="sales:proposal_templates",
             permissions=("sales.view_proposaltemplate",), icon="file-earmark-ruled", order=50),
    MenuItem(section="Settings", label="Proposal settings", url_name="sales:proposal_settings",
             permissions=("sales.change_proposalsettings",), icon="sliders", order=51),
    MenuItem(section="Settings", label="Contract types", url_name="sales:contract_types",
             permissions=("sales.view_contracttype",), icon="collection", order=52),
    MenuItem(section="Settings", label="Contract statuses", url_name="sales:contract_statuses",
             permissions=("sales.view_contractstatus",), icon="list-check", order=53),
)


def _lazy(module, name):
    """A context function imported when first called: this module loads while apps are set
    up, before views and queries can be imported."""
    def call(*args, **kwargs):
        return getattr(import_module(f"sales.{module}"), name)(*args, **kwargs)
    return call


search_providers.append(SearchProvider(label="Proposals",
                                       search=_lazy("queries", "proposal_search"),
                                       permissions=VIEW_PROPOSAL))

dashboard_widgets.register(
    key="expired-proposals", title="Expired proposals", template="sales/widgets/expired.html",
    permissions=VIEW_PROPOSAL, context=_lazy("widgets", "expired_proposals_context"), order=40)
dashboard_widgets.register(
    key="proposals-not-viewed", title="Sent proposals not viewed",
    template="sales/widgets/not_viewed.html", permissions=VIEW_PROPOSAL,
    context=_lazy("widgets", "not_viewed_proposals_context"), order=45)
dashboard_widgets.register(
    key="orders-uninvoiced", title="Confirmed orders not invoiced",
    template="sales/widgets/orders_uninvoiced.html", permissions=VIEW_ORDER,
    context=_lazy("widgets", "uninvoiced_orders_context"), order=50)
dashboard_widgets.register(
    key="contracts-expiring", title="Contracts ending within 60 days",
    template="sales/widgets/contracts_expiring.html", permissions=VIEW_CONTRACT,
    context=_lazy("widgets", "expiring_contracts_context"), order=55)

lead_tabs.register(key="proposals", title="Proposals", template="sales/widgets/lead_tab.html",
                   permissions=VIEW_PROPOSAL,
                   context=_lazy("widgets", "lead_proposals_context"), order=50)

client_tabs.register(key="proposals", title="Proposals", template="sales/widgets/client_tab.html",
                     permissions=VIEW_PROPOSAL,
                     context=_lazy("widgets", "client_proposals_context"), order=50)
client_tabs.register(key="orders", title="Orders",
                     template="sales/widgets/orders_client_tab.html", permissions=VIEW_ORDER,
                     context=_lazy("widgets", "client_orders_context"), order=52)
client_tabs.register(key="contracts", title="Contracts",
                     template="sales/widgets/contracts_client_tab.html",
                     permissions=VIEW_CONTRACT,
                     context=_lazy("widgets", "client_contracts_context"), order=54)
client_tabs.register(key="pricing", title="Pricing", template="sales/pricing/client_tab.html",
                     permissions=("sales.view_clientpricing",),
                     context=_lazy("views.pricing", "client_pricing_context"), order=60)


def _register_proposal_actions():
    from .widgets import proposal_actions

    proposal_actions.register(
        key="contract", title="Create Contract",
        template="sales/contracts/_proposal_action.html", permissions=VIEW_CONTRACT,
        context=_lazy("widgets", "proposal_contract_action_context"), order=20)


_register_proposal_actions()
