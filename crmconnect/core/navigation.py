"""The main menu (the guide's module map) and the slots through which an app adds panels to
another app's page without that app importing it."""

from dataclasses import dataclass, field

SECTIONS = ["CRM", "Sales", "Reports", "Settings"]


@dataclass(frozen=True)
class MenuItem:
    section: str
    label: str
    url_name: str
    permissions: tuple = ()  # any one of them admits the user
    icon: str = "circle"
    order: int = 100


_menu: list[MenuItem] = []


def register_menu(*items):
    for item in items:
        if item.section not in SECTIONS:
            raise ValueError(f"unknown menu section {item.section!r}")
        _menu.append(item)


def allowed(user, permissions):
    return not permissions or any(user.has_perm(perm) for perm in permissions)


def menu_for(user):
    """[(section, [items…]), …] with only the entries the user's role allows."""
    sections = []
    for section in SECTIONS:
        items = sorted((item for item in _menu if item.section == section
                        and allowed(user, item.permissions)), key=lambda i: (i.order, i.label))
        if items:
            sections.append((section, items))
    return sections


@dataclass
class Slot:
    """A named place on a page (the dashboard's widgets, a client's tabs) that apps fill."""

    name: str
    entries: list = field(default_factory=list)

    def register(self, *, key, title, template, permissions=(), context=None, order=100):
        self.entries.append({"key": key, "title": title, "template": template,
                             "permissions": tuple(permissions), "context": context,
                             "order": order})
        self.entries.sort(key=lambda entry: entry["order"])

    def visible(self, request, **kwargs):
        for entry in self.entries:
            if allowed(request.user, entry["permissions"]):
                extra = entry["context"](request, **kwargs) if entry["context"] else {}
                yield {**entry, "context": extra}


dashboard_widgets = Slot("dashboard")
client_tabs = Slot("client_detail")
lead_tabs = Slot("lead_detail")  # also on opportunities; context gets lead=


@dataclass(frozen=True)
class SearchProvider:
    """Global search over one kind of record: `search(user, q)` returns a queryset of records
    the user may see, each with `get_absolute_url`."""

    label: str
    search: object
    permissions: tuple = ()


search_providers: list[SearchProvider] = []
