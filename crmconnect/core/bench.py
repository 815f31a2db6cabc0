"""The benchmark's tools and its client part (`manage.py bench`).

The benchmark never touches the working database: like Django's test runner it switches the
default connection to its own database first (`<name>_bench` on PostgreSQL, created when
missing; var/bench.sqlite3 on SQLite). Seeding is skipped for rows already there, so a second
run goes straight to the measurements. Each module with a `bench.py` adds its own part: a
`run(report, staff, requests, scale)` that seeds its rows and measures its pages."""

import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

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



@dataclass
class Staff:
    admin: User
    agents: list
    small_agent: User  # owns exactly SMALL_ROWS records of each kind


class Report:
    """Prints the figures: p50/p95/queries per page, query-count checks and verdicts."""

    def __init__(self, write):
        self.write = write

    def measure_pages(self, http, pages, requests, target):
        """Print p50/p95/queries of each (label, make_url, headers, is_list) page; return the
        p95 of the list pages, which have `target`."""
        self.write(f"\n{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}  target")
        p95s = {}
        for label, make_url, headers, is_list in pages:
            p50, p95, queries = measure(http, make_url, headers, requests)
            verdict = ("PASS" if p95 < target else "FAIL") if is_list else ""
            if is_list:
                p95s[label] = p95
            self.write(f"{label:<32}{p50:>9.1f}{p95:>9.1f}{queries:>9}  {verdict}")
        return p95s

    def constant_queries(self, what, small, large, total):
        """Compare the query counts of (http, url) `small` (SMALL_ROWS rows) and `large`."""
        small_count, large_count = count_queries(*small), count_queries(*large)
        self.write(
            f"Queries of the {what}: {small_count} with {SMALL_ROWS} rows, {large_count} with "
            f"{total:,} rows; query count constant: "
            f"{'yes' if small_count == large_count else 'no'}")

    def verdict(self, what, p95s, target):
        slow = [label for label, p95 in p95s.items() if p95 >= target]
        self.write(f"Target: {what} p95 < {target} ms: {'FAIL' if slow else 'PASS'}"
                   + (f" (over it: {', '.join(slow)})" if slow else ""))


def module_benches():
    """The `bench` module of each app that has one, lower layers first."""
    for config in apps.get_app_configs():
        if not config.name.startswith("crmconnect.") and module_has_submodule(
                config.module, "bench"):
            yield import_module(f"{config.name}.bench")


def run_clients(report, staff, requests, total):
    started = time.perf_counter()
    added = seed_clients(total, staff.agents)
    refresh_statistics([Client, Contact])
    report.write(f"Clients: {Client.objects.count():,} ({added:,} added in "
                 f"{time.perf_counter() - started:.1f} s); "
                 f"{requests} requests per page as an Administrator.")
    report_clients(report, staff.admin, requests)


def report_clients(report, admin, requests):
    http = logged_in(admin)
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
    p95s = report.measure_pages(http, pages, requests, TARGET_P95_MS)
    report.write("")
    report.constant_queries("client list", (http, f"/admin/clients?county={SMALL_COUNTY}"),
                          (http, "/admin/clients"), Client.objects.count())
    slow = [label for label, p95 in p95s.items() if p95 >= TARGET_P95_MS]
    verdict = "PASS" if p95s["client list"] < TARGET_P95_MS else "FAIL"
    report.write(f"Target: client list p95 < {TARGET_P95_MS} ms: {verdict}"
                      + (f" (list pages over it: {', '.join(slow)})" if slow else ""))


def seed_staff():
    """The benchmark's administrator, OWNER_COUNT sales agents (client owners, lead agents)
    and the agent with only SMALL_ROWS leads."""
    admin = bench_user("bench-admin", roles.ADMINISTRATOR)
    agents = [bench_user(f"bench-agent-{n}", roles.SALES_AGENT, first_name="Agent",
                         last_name=str(n)) for n in range(1, OWNER_COUNT + 1)]
    small_agent = bench_user("bench-agent-small", roles.SALES_AGENT, first_name="Agent",
                             last_name="Small")
    return Staff(admin, agents, small_agent)


def bench_user(username, role, **names):
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@bench.example.com", **names})
    user.groups.add(Group.objects.get(name=role))
    return user


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


def seed_clients(total, owners):
    """`total` clients (every third with a contact)."""
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
    return max(0, total - start)


def refresh_statistics(models):
    """Planner statistics (and PostgreSQL's visibility map) as autovacuum keeps them on a
    live database; right after a bulk load they are missing and plans are poor."""
    command = "ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def bulk_insert(model, columns, rows, batch_size):
    """Write the tuples of `rows` (values of `columns`, already adapted for the database) into
    `model`'s table in transactions of `batch_size` rows: COPY on PostgreSQL, executemany on
    SQLite; bulk_create spends ~3 s per 10,000 rows preparing values. Returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(columns)
    added = 0
    while batch := list(islice(rows, batch_size)):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, batch)
        added += len(batch)
    return added


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


def logged_in(user):
    http = HttpClient()
    http.force_login(user)
    return http


def count_queries(http, url):
    with CaptureQueriesContext(connection) as queries:
        fetch(http, url, {})
    return len(queries)


def fetch(http, url, headers):
    response = http.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response

