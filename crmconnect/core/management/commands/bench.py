"""`make bench`: seed a separate database at scale and time the pages over it (see
crmconnect.core.bench)."""

import warnings

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from crmconnect.clients.models import Client, Contact
from crmconnect.core.bench import (
    Report,
    module_benches,
    refresh_statistics,
    run_clients,
    seed_clients,
    seed_staff,
    use_bench_database,
)


class Command(BaseCommand):
    help = ("Seed a separate benchmark database with many clients (and each module's records) "
            "and print p50/p95 times and query counts of their pages.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--scale", type=float, default=1.0,
                            help="multiplies the row counts of the modules' parts "
                                 "(1,000,000 leads at 1.0)")
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--only", metavar="APP",
                            help="measure only this module's part, e.g. billing (the clients "
                                 "are still seeded, not measured)")

    def handle(self, *args, clients, scale, requests, only, **options):
        self.stdout.write(f"Benchmark database: {use_bench_database()}")
        call_command("migrate", verbosity=0, interactive=False)
        staff = seed_staff()
        report = Report(self.stdout.write)
        # The pages measured need no collected static files.
        warnings.filterwarnings("ignore", message="No directory at")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            if only:
                seed_clients(clients, staff.agents)
                refresh_statistics([Client, Contact])
            else:
                run_clients(report, staff, requests, clients)
            for module in module_benches():
                if only and module.__name__ != f"{only}.bench":
                    continue
                report.write("")
                module.run(report, staff, requests, scale)
