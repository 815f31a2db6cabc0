from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from crmconnect.core.demo import logins_table, seed_demo


def module_demos():
    """`seed_demo()` of each module that has a `demo.py`, lower layers first (the order of
    INSTALLED_APPS), so a module's demo data can build on the kernel's."""
    for config in apps.get_app_configs():
        if config.name != "crmconnect.core" and module_has_submodule(config.module, "demo"):
            yield import_module(f"{config.name}.demo").seed_demo


class Command(BaseCommand):
    help = ("Load the demo data set: one user per role, two teams, the company's settings, "
            "Romanian client companies with contacts and tasks, and each module's own demo "
            "records. Safe to run again.")

    def handle(self, *args, **options):
        created = seed_demo()
        for seed_module in module_demos():
            created.update(seed_module())
        summary = ", ".join(f"{count} {label}" for label, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created now: {summary})."))
        self.stdout.write("Demo logins:")
        for line in logins_table():
            self.stdout.write(line)
