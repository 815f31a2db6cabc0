from django.apps import AppConfig


class EfacturaConfig(AppConfig):
    name = "efactura"
    verbose_name = "e-Factura"
