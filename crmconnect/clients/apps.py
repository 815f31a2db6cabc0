from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "crmconnect.clients"
    label = "clients"
    verbose_name = "Clients"
