from django.apps import AppConfig


class CompanyConfig(AppConfig):
    name = "crmconnect.company"
    label = "company"
    verbose_name = "Company settings"
