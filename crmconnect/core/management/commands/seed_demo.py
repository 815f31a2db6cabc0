from django.core.management.base import BaseCommand

from crmconnect.core.demo import logins_table, seed_demo


class Command(BaseCommand):
    help = ("Load the demo data set: one user per role, two teams, the company's settings and "
            "Romanian client companies with contacts and tasks. Safe to run again.")

    def handle(self, *args, **options):
        created = seed_demo()
        summary = ", ".join(f"{count} {label}" for label, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created now: {summary})."))
        self.stdout.write("Demo logins:")
        for line in logins_table():
            self.stdout.write(line)
