from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "crmconnect.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Each app declares its menu entries and page slots in `navigation.py`.
        autodiscover_modules("navigation")
