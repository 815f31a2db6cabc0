from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "crmconnect.staff"
    label = "staff"
    verbose_name = "Staff and roles"
