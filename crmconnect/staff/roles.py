"""The roles of the sales department guide and the permissions each starts with.

Roles are Django groups; administrators change them at /admin/roles after installation.
`ROLE_PERMISSIONS` is only the starting point: an app's data migration calls
`grant_role_defaults` for its own labels, so later modules extend the roles the same way.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

SDR = "SDR"
SALES_AGENT = "Sales Agent"
ACCOUNT_MANAGER = "Account Manager"
KEY_ACCOUNT_MANAGER = "Key Account Manager"
SALES_MANAGER = "Sales Manager"
SALES_ADMIN = "Sales Admin"
FINANCE = "Finance"
ADMINISTRATOR = "Administrator"

ROLES = [SDR, SALES_AGENT, ACCOUNT_MANAGER, KEY_ACCOUNT_MANAGER, SALES_MANAGER, SALES_ADMIN,
         FINANCE, ADMINISTRATOR]

ALL = "__all__"  # every permission of the app

_OWN_CLIENTS = ["clients.view_client", "clients.add_client", "clients.change_client"]
_ALL_CLIENTS = [*_OWN_CLIENTS, "clients.view_all_client", "clients.export_client"]
_OWN_TASKS = ["activity.view_task", "activity.add_task", "activity.change_task"]

_LEAD_CONFIG = [f"leads.view_{model}" for model in (
    "pipeline", "leadstatus", "leadsource", "lostreason", "opportunitystatus", "tag",
    "customfield")]
_OWN_LEADS = ["leads.view_lead", "leads.add_lead", "leads.change_lead", "leads.add_tag",
              *_LEAD_CONFIG]
_ALL_LEADS = [*_OWN_LEADS, "leads.view_all_lead", "leads.export_lead"]

_CATALOGUE_READ = ["sales.view_item", "sales.view_itemgroup", "sales.view_pricelist",
                   "sales.view_discountgroup", "sales.view_proposaltemplate"]
_OWN_PROPOSALS = ["sales.view_proposal", "sales.add_proposal", "sales.change_proposal",
                  "sales.send_proposal", "sales.view_salesorder", "sales.add_salesorder",
                  "sales.change_salesorder", "sales.view_contract", "sales.add_contract",
                  "sales.change_contract", "sales.sign_contract", *_CATALOGUE_READ]
_ALL_PROPOSALS = [*_OWN_PROPOSALS, "sales.view_all_proposal", "sales.export_proposal",
                  "sales.view_all_salesorder", "sales.export_salesorder",
                  "sales.view_all_contract", "sales.export_contract"]
_CONFIRM_ORDERS = ["sales.confirm_salesorder"]
_PRICING = ["sales.add_pricelist", "sales.change_pricelist", "sales.change_clientpricing",
            "sales.view_clientpricing"]
_OWN_INVOICES = ["billing.view_invoice", "billing.add_invoice", "billing.change_invoice",
                 "billing.issue_invoice", "billing.send_invoice", "billing.view_payment"]
_ALL_INVOICES = [*_OWN_INVOICES, "billing.view_all_invoice", "billing.export_invoice",
                 "billing.view_all_payment"]
_BILLING_CONFIG_READ = ["billing.view_series", "billing.view_paymentmode"]
_BACK_OFFICE = [*_ALL_INVOICES, "billing.delete_invoice", "billing.cancel_invoice",
                "billing.add_payment", "billing.export_payment", *_BILLING_CONFIG_READ]
_CATALOGUE = ["sales.add_item", "sales.change_item", "sales.add_itemgroup",
              "sales.change_itemgroup"]

ROLE_PERMISSIONS = {
    SDR: {
        "clients": ["clients.view_client", "clients.add_client"],
        "activity": _OWN_TASKS,
        "leads": _OWN_LEADS,
    },
    SALES_AGENT: {"clients": _OWN_CLIENTS, "activity": _OWN_TASKS, "leads": _OWN_LEADS,
                  "sales": _OWN_PROPOSALS, "billing": _OWN_INVOICES},
    ACCOUNT_MANAGER: {
        "clients": [*_OWN_CLIENTS, "clients.export_client", "clients.view_clientgroup"],
        "activity": _OWN_TASKS,
        "leads": _OWN_LEADS,
        "sales": [*_OWN_PROPOSALS, *_CONFIRM_ORDERS],
        "billing": _OWN_INVOICES,
    },
    KEY_ACCOUNT_MANAGER: {
        "clients": [*_OWN_CLIENTS, "clients.export_client", "clients.view_clientgroup",
                    "clients.add_clientgroup", "clients.change_clientgroup"],
        "activity": _OWN_TASKS,
        "leads": _OWN_LEADS,
        "sales": [*_OWN_PROPOSALS, *_PRICING, *_CONFIRM_ORDERS, "sales.add_discountgroup",
                  "sales.change_discountgroup"],
        "billing": _OWN_INVOICES,
    },
    SALES_MANAGER: {
        "clients": [*_ALL_CLIENTS, "clients.view_clientgroup", "clients.add_clientgroup",
                    "clients.change_clientgroup"],
        "activity": [*_OWN_TASKS, "activity.view_all_task", "activity.delete_task",
                     "activity.view_activity"],
        "staff": ["staff.view_user", "staff.view_team", "staff.add_team", "staff.change_team"],
        "leads": [*_ALL_LEADS, "leads.change_tag", "leads.add_lostreason",
                  "leads.change_lostreason", "leads.add_leadsource", "leads.change_leadsource"],
        "sales": [*_ALL_PROPOSALS, *_PRICING, "sales.delete_proposal",
                  "sales.add_proposaltemplate", "sales.change_proposaltemplate",
                  "sales.delete_proposaltemplate", "sales.add_discountgroup",
                  "sales.change_discountgroup", "sales.view_proposalsettings",
                  "sales.change_proposalsettings", *_CONFIRM_ORDERS, "sales.delete_contract",
                  "sales.view_contracttype", "sales.add_contracttype",
                  "sales.change_contracttype", "sales.view_contractstatus",
                  "sales.add_contractstatus", "sales.change_contractstatus"],
        "billing": [*_ALL_INVOICES, "billing.cancel_invoice", "billing.export_payment"],
    },
    SALES_ADMIN: {
        "clients": [*_ALL_CLIENTS, "clients.view_clientgroup"],
        "activity": _OWN_TASKS,
        "company": ["company.view_companysettings", "company.view_vatrate"],
        "sales": [*_ALL_PROPOSALS, *_CATALOGUE, *_PRICING, *_CONFIRM_ORDERS,
                  "sales.delete_item", "sales.delete_pricelist", "sales.add_discountgroup",
                  "sales.change_discountgroup"],
        "billing": _BACK_OFFICE,
    },
    FINANCE: {
        "clients": ["clients.view_client", "clients.view_all_client", "clients.export_client",
                    "clients.change_client", "clients.view_clientgroup"],
        "activity": _OWN_TASKS,
        "company": ["company.view_companysettings", "company.change_companysettings",
                    "company.view_vatrate", "company.add_vatrate", "company.change_vatrate"],
        "sales": ["sales.view_proposal", "sales.view_all_proposal", "sales.export_proposal",
                  "sales.view_salesorder", "sales.view_all_salesorder",
                  "sales.export_salesorder", "sales.view_contract", "sales.view_all_contract",
                  *_CATALOGUE_READ],
        "billing": [*_BACK_OFFICE, "billing.delete_payment", "billing.add_series",
                    "billing.change_series", "billing.add_paymentmode",
                    "billing.change_paymentmode", "billing.view_billingsettings",
                    "billing.change_billingsettings"],
    },
    ADMINISTRATOR: {
        "clients": ALL, "activity": ALL, "company": ALL, "staff": ALL, "auth": ALL,
        "leads": ALL, "sales": ALL, "billing": ALL,
    },
}


def grant_role_defaults(apps, app_labels):
    """Create the roles if missing and give each its default permissions of `app_labels`.
    For use in data migrations (pass the historical `apps`). A permission of a model that a
    later migration creates does not exist yet and is skipped: that migration calls this
    again (tests check that the seeded roles end up exactly as ROLE_PERMISSIONS says)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in app_labels:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for label in app_labels:
            wanted = ROLE_PERMISSIONS[role].get(label, [])
            perms = Permission.objects.filter(content_type__app_label=label)
            if wanted != ALL:
                codenames = [name.split(".", 1)[1] for name in wanted]
                perms = perms.filter(codename__in=codenames)
            group.permissions.add(*perms)
