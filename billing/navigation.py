from importlib import import_module

from crmconnect.core.navigation import (
    MenuItem,
    SearchProvider,
    client_tabs,
    dashboard_widgets,
    register_menu,
    search_providers,
)

VIEW_INVOICE = ("billing.view_invoice",)
VIEW_PAYMENT = ("billing.view_payment",)

register_menu(
    MenuItem(section="Sales", label="Invoices", url_name="billing:invoices",
             permissions=VIEW_INVOICE, icon="receipt", order=40),
    MenuItem(section="Sales", label="Payments", url_name="billing:payments",
             permissions=VIEW_PAYMENT, icon="cash-coin", order=45),
    MenuItem(section="Sales", label="Payment modes", url_name="billing:payment_modes",
             permissions=("billing.view_paymentmode",), icon="credit-card", order=62),
    MenuItem(section="Settings", label="Billing configuration", url_name="billing:config",
             permissions=("billing.view_series", "billing.change_billingsettings"),
             icon="123", order=55),
)


def _lazy(module, name):
    """A context function imported when first called: this module loads while apps are set
    up, before views and queries can be imported."""
    def call(*args, **kwargs):
        return getattr(import_module(f"billing.{module}"), name)(*args, **kwargs)
    return call


search_providers.append(SearchProvider(label="Invoices",
                                       search=_lazy("queries", "invoice_search"),
                                       permissions=VIEW_INVOICE))

dashboard_widgets.register(
    key="overdue-invoices", title="Overdue invoices", template="billing/widgets/overdue.html",
    permissions=VIEW_INVOICE, context=_lazy("widgets", "overdue_invoices_context"), order=35)

client_tabs.register(key="invoices", title="Invoices",
                     template="billing/widgets/invoices_client_tab.html",
                     permissions=VIEW_INVOICE,
                     context=_lazy("widgets", "client_invoices_context"), order=56)
client_tabs.register(key="payments", title="Payments & credit",
                     template="billing/widgets/payments_client_tab.html",
                     permissions=VIEW_PAYMENT,
                     context=_lazy("widgets_payments", "client_payments_context"), order=57)


def _register_sales_slots():
    """"Convert to Invoice" on proposals and orders, and the invoice in their trail."""
    from sales.trail import register_trail_link
    from sales.widgets import order_actions, proposal_actions

    proposal_actions.register(
        key="invoice", title="Convert to Invoice",
        template="billing/invoices/_proposal_action.html", permissions=VIEW_INVOICE,
        context=_lazy("widgets", "proposal_invoice_action_context"), order=10)
    order_actions.register(
        key="invoice", title="Convert to Invoice",
        template="billing/invoices/_order_action.html", permissions=VIEW_INVOICE,
        context=_lazy("widgets", "order_invoice_action_context"), order=10)
    register_trail_link(entries=_lazy("trail", "invoice_entries"),
                        origin=_lazy("trail", "invoice_origin"))


_register_sales_slots()
