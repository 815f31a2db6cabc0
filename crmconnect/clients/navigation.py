from crmconnect.core.navigation import MenuItem, SearchProvider, register_menu, search_providers

from .queries import client_search

register_menu(
    MenuItem(section="CRM", label="Clients", url_name="clients:list",
             permissions=("clients.view_client",), icon="building", order=10),
    MenuItem(section="Settings", label="Client groups", url_name="clients:groups",
             permissions=("clients.view_clientgroup",), icon="collection", order=30),
)

search_providers.append(SearchProvider(label="Clients", search=client_search,
                                       permissions=("clients.view_client",)))
