from crmconnect.core.navigation import MenuItem, register_menu

register_menu(
    MenuItem(section="Settings", label="Staff", url_name="staff:users",
             permissions=("staff.view_user",), icon="people", order=30),
    MenuItem(section="Settings", label="Roles", url_name="staff:roles",
             permissions=("auth.view_group",), icon="shield-lock", order=40),
    MenuItem(section="Settings", label="Teams", url_name="staff:teams",
             permissions=("staff.view_team",), icon="diagram-3", order=50),
)
