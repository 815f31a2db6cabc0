from crmconnect.core.navigation import MenuItem, register_menu

register_menu(
    MenuItem(section="Settings", label="Company", url_name="company:settings",
             permissions=("company.view_companysettings",), icon="gear", order=10),
    MenuItem(section="Settings", label="VAT rates", url_name="company:vat_rates",
             permissions=("company.view_vatrate",), icon="percent", order=20),
)
