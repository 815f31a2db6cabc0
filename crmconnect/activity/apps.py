from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "crmconnect.activity"
    label = "activity"
    verbose_name = "Activity, tasks and notifications"
