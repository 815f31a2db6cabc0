"""`make bench`: seed a separate database with many clients and time the client pages.

The benchmark never touches the working database: like Django's test runner it switches the
default connection to its own database first (`<name>_bench` on PostgreSQL, created when
missing; var/bench.sqlite3 on SQLite). Seeding is skipped for rows already there, so a second
run goes straight to the measurements."""

import random
import statistics
import time
import warnings
from contextlib import contextmanager
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from crmconnect.clients.models import Client, ClientGroup, Contact
from crmconnect.core.demo import BANKS, valid_cui, valid_iban
from crmconnect.staff import roles
from crmconnect.staff.models import User

TARGET_P95_MS = 150
BATCH = 2000
SMALL_COUNTY = "RO-CV"  # exactly SMALL_ROWS clients: the short side of the query-count check
SMALL_ROWS = 10
SEARCH_TEXT = "Carpați"

NAME_ROOTS = ["Transilvania", "Carpați", "Dunărea", "Bega", "Someș", "Mureș", "Olt", "Argeș",
              "Crișana", "Bucovina", "Ardeal", "Banat", "Dobrogea", "Muntenia", "Oltenia",
              "Moldova", "Delta", "Ceahlău", "Retezat", "Făgăraș", "Bihor", "Cibin", "Siret",
              "Prut", "Jiu"]
NAME_TRADES = ["Logistic", "Software", "Construct", "Agro", "Trading", "Consulting",
               "Distribution", "Media", "Pharma", "Energy", "Food", "Auto", "Metal", "Wood",
               "Textile", "Tech", "Transport", "Imobiliare", "Medical", "Print"]
NAME_SUFFIXES = ["", " Grup", " Impex", " Prod", " Com"]
PLACES = [("Cluj-Napoca", "RO-CJ", ""), ("București", "RO-B", "SECTOR1"),
          ("București", "RO-B", "SECTOR3"), ("Timișoara", "RO-TM", ""), ("Iași", "RO-IS", ""),
          ("Brașov", "RO-BV", ""), ("Constanța", "RO-CT", ""), ("Oradea", "RO-BH", ""),
          ("Sibiu", "RO-SB", ""), ("Craiova", "RO-DJ", ""), ("Ploiești", "RO-PH", ""),
          ("Pitești", "RO-AG", ""), ("Suceava", "RO-SV", ""), ("Baia Mare", "RO-MM", ""),
          ("Târgu Mureș", "RO-MS", ""), ("Otopeni", "RO-IF", "")]
BANK_CODES = list(BANKS)
GROUP_NAMES = ["Key accounts", "SMB", "Distributors", "Public sector", "Partners"]
OWNER_COUNT = 5
CREATED_EVERY = timedelta(minutes=15)  # 100,000 clients span almost three years


class Command(BaseCommand):
    help = ("Seed a separate benchmark database with many clients and print p50/p95 times and "
            "query counts of the client list, search and detail pages.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=50)

    def handle(self, *args, clients, requests, **options):
        database = use_bench_database()
        self.stdout.write(f"Benchmark database: {database}")
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        admin, added = seed(clients)
        refresh_statistics()
        self.stdout.write(f"Clients: {Client.objects.count():,} ({added:,} added in "
                          f"{time.perf_counter() - started:.1f} s); "
                          f"{requests} requests per page as an Administrator.")
        # WhiteNoise warns that static files were not collected; the pages measured need none.
        warnings.filterwarnings("ignore", message="No directory at")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            self.report(admin, requests)

    def report(self, admin, requests):
        http = HttpClient()
        http.force_login(admin)
        ids = list(Client.objects.values_list("pk", flat=True))
        rng = random.Random(7)
        pages = [
            ("client list", lambda: "/admin/clients", {}, True),
            ("sorted by newest", lambda: "/admin/clients?o=-created_at", {}, True),
            ("filtered by county", lambda: "/admin/clients?county=RO-CJ", {}, True),
            ("list search", lambda: f"/admin/clients?q={SEARCH_TEXT}", {}, True),
            ("deep page (200)", lambda: "/admin/clients?page=200", {}, True),
            ("header search (htmx)", lambda: f"/admin/search?q={SEARCH_TEXT}",
             {"HX-Request": "true"}, False),
            ("search page", lambda: f"/admin/search?q={SEARCH_TEXT}", {}, False),
            ("client detail", lambda: f"/admin/clients/{rng.choice(ids)}", {}, False),
        ]
        self.stdout.write(f"\n{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}  target")
        p95s = {}
        for label, make_url, headers, is_list in pages:
            p50, p95, queries = measure(http, make_url, headers, requests)
            verdict = ("PASS" if p95 < TARGET_P95_MS else "FAIL") if is_list else ""
            if is_list:
                p95s[label] = p95
            self.stdout.write(f"{label:<24}{p50:>9.1f}{p95:>9.1f}{queries:>9}  {verdict}")

        small = count_queries(http, f"/admin/clients?county={SMALL_COUNTY}")
        large = count_queries(http, "/admin/clients")
        total = Client.objects.count()
        self.stdout.write(
            f"\nQueries of the client list: {small} with {SMALL_ROWS} rows, {large} with "
            f"{total:,} rows; query count constant: {'yes' if small == large else 'no'}")
        slow = [label for label, p95 in p95s.items() if p95 >= TARGET_P95_MS]
        verdict = "PASS" if p95s["client list"] < TARGET_P95_MS else "FAIL"
        self.stdout.write(f"Target: client list p95 < {TARGET_P95_MS} ms: {verdict}"
                          + (f" (list pages over it: {', '.join(slow)})" if slow else ""))


def use_bench_database():
    """Point the default connection at the benchmark's own database, creating it if needed."""
    connection.close()
    if connection.vendor == "sqlite":
        name = str(Path(settings.VAR_DIR) / "bench.sqlite3")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    else:
        name = f"{connection.settings_dict['NAME']}_bench"
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    return name


def seed(total):
    """The benchmark's users, groups and `total` clients (every third with a contact)."""
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"email": "bench-admin@bench.example.com"})
    admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    owners = []
    for n in range(1, OWNER_COUNT + 1):
        owner, _ = User.objects.get_or_create(
            username=f"bench-agent-{n}",
            defaults={"email": f"bench-agent-{n}@bench.example.com", "first_name": "Agent",
                      "last_name": str(n)})
        owner.groups.add(Group.objects.get(name=roles.SALES_AGENT))
        owners.append(owner)
    groups = [ClientGroup.objects.get_or_create(name=name)[0] for name in GROUP_NAMES]
    start = Client.objects.count()
    newest = timezone.now()
    rows = (client_row(index, owners, groups, created_at=newest - CREATED_EVERY * index)
            for index in range(start, total))
    with created_at_settable():
        while batch := list(islice(rows, BATCH)):
            with transaction.atomic():
                created = Client.objects.bulk_create(batch)
                Contact.objects.bulk_create(
                    contact_row(client) for client in created if client.pk % 3 == 0)
    return admin, max(0, total - start)


def refresh_statistics():
    """Planner statistics (and PostgreSQL's visibility map) as autovacuum keeps them on a
    live database; right after a bulk load they are missing and plans are poor."""
    tables = [Client._meta.db_table, Contact._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            command = "ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE"
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def client_row(index, owners, groups, *, created_at):
    """The index-th benchmark client: the first SMALL_ROWS in SMALL_COUNTY, the rest spread
    over cities, owners, groups and three years of creation dates."""
    root, trade = NAME_ROOTS[index % len(NAME_ROOTS)], NAME_TRADES[index // 7 % len(NAME_TRADES)]
    suffix = NAME_SUFFIXES[index // 3 % len(NAME_SUFFIXES)]
    form = "SA" if index % 11 == 0 else "SRL"
    if index < SMALL_ROWS:
        city, county, sector = "Sfântu Gheorghe", SMALL_COUNTY, ""
    else:
        city, county, sector = PLACES[index % len(PLACES)]
    vat_payer = index % 3 != 0
    digits = valid_cui(10_000_000 + index)
    return Client(
        name=f"{root} {trade}{suffix} {form}", cui=f"RO{digits}" if vat_payer else digits,
        vat_payer=vat_payer, city=city, county=county, sector=sector,
        street=f"Str. Principală {index % 200 + 1}",
        email=f"office{index}@client{index}.example.ro",
        iban=valid_iban(BANK_CODES[index % len(BANK_CODES)], index) if index % 2 else "",
        owner=owners[index % len(owners)] if index % 10 else None,
        group=groups[index % len(groups)] if index % 4 else None,
        created_at=created_at,
    )


def contact_row(client):
    return Contact(client=client, first_name="Ana", last_name=f"Contact {client.pk}",
                   email=f"ana{client.pk}@contact.example.ro", is_primary=True)


@contextmanager
def created_at_settable():
    """bulk_create would stamp every row with now() (auto_now_add); the benchmark wants
    creation dates spread over years, as real data has."""
    field = Client._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def measure(http, make_url, headers, requests):
    """p50 and p95 in milliseconds over `requests` GETs (after a warm-up), and the number of
    queries of one more request."""
    for _ in range(3):
        fetch(http, make_url(), headers)
    times = []
    for _ in range(requests):
        url = make_url()
        started = time.perf_counter()
        fetch(http, url, headers)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fetch(http, make_url(), headers)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return statistics.median(times), p95, len(queries)


def count_queries(http, url):
    with CaptureQueriesContext(connection) as queries:
        fetch(http, url, {})
    return len(queries)


def fetch(http, url, headers):
    response = http.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response
