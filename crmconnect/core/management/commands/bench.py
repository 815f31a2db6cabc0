"""`make bench`: seed a separate database with many clients and leads and time their pages.

The benchmark never touches the working database: like Django's test runner it switches the
default connection to its own database first (`<name>_bench` on PostgreSQL, created when
missing; var/bench.sqlite3 on SQLite). Seeding is skipped for rows already there, so a second
run goes straight to the measurements."""

import random
import statistics
import time
import warnings
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from urllib.parse import quote

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
from leads.models import (
    Lead,
    LeadSource,
    LeadStatus,
    LostReason,
    OpportunityStatus,
    Pipeline,
    Tag,
)

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


LEAD_TARGET_P95_MS = 200
LEAD_BATCH = 10_000
LEAD_CREATED_EVERY = timedelta(seconds=63)  # 1,000,000 leads span two years
LEADS_PER_DAY = timedelta(days=1) // LEAD_CREATED_EVERY
PARTNER_PIPELINE = "Bench partners"
PARTNER_STAGES = ["Introduced", "Evaluating", "Signed up"]
FIRST_NAMES = ["Ana", "Mihai", "Elena", "Andrei", "Ioana", "Radu", "Maria", "Vlad", "Irina",
               "Bogdan", "Cristina", "Dan", "Roxana", "Sorin", "Diana", "Paul"]
LAST_NAMES = ["Popescu", "Ionescu", "Pop", "Dumitrescu", "Stan", "Stoica", "Gheorghe",
              "Matei", "Ciobanu", "Rusu", "Munteanu", "Moldovan", "Lazăr", "Constantin"]
# The share of the Sales pipeline's leads in each of its five stages, in percent: a funnel.
STAGE_SHARES = [35, 25, 18, 12, 10]


class Command(BaseCommand):
    help = ("Seed a separate benchmark database with many clients and leads and print p50/p95 "
            "times and query counts of the client and lead pages.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--leads", type=int, default=1_000_000)
        parser.add_argument("--requests", type=int, default=50)

    def handle(self, *args, clients, leads, requests, **options):
        database = use_bench_database()
        self.stdout.write(f"Benchmark database: {database}")
        call_command("migrate", verbosity=0, interactive=False)
        admin, agents, small_agent = seed_staff()
        started = time.perf_counter()
        added = seed_clients(clients, agents)
        refresh_statistics([Client, Contact])
        self.stdout.write(f"Clients: {Client.objects.count():,} ({added:,} added in "
                          f"{time.perf_counter() - started:.1f} s); "
                          f"{requests} requests per page as an Administrator.")
        started = time.perf_counter()
        lead_data = LeadData.seed(leads, agents, small_agent)
        if lead_data.added:
            refresh_statistics([Lead, Lead.tags.through])
        self.stdout.write(f"Leads: {lead_data.total:,} ({lead_data.added:,} added in "
                          f"{time.perf_counter() - started:.1f} s).")
        # WhiteNoise warns that static files were not collected; the pages measured need none.
        warnings.filterwarnings("ignore", message="No directory at")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            self.report(admin, requests)
            self.report_leads(lead_data, admin, agents[0], small_agent, requests)

    def measure_pages(self, http, pages, requests, target):
        """Print p50/p95/queries of each (label, make_url, headers, is_list) page; return the
        p95 of the list pages, which have `target`."""
        self.stdout.write(f"\n{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}  target")
        p95s = {}
        for label, make_url, headers, is_list in pages:
            p50, p95, queries = measure(http, make_url, headers, requests)
            verdict = ("PASS" if p95 < target else "FAIL") if is_list else ""
            if is_list:
                p95s[label] = p95
            self.stdout.write(f"{label:<32}{p50:>9.1f}{p95:>9.1f}{queries:>9}  {verdict}")
        return p95s

    def constant_queries(self, what, small, large, total):
        """Compare the query counts of (http, url) `small` (SMALL_ROWS rows) and `large`."""
        small_count, large_count = count_queries(*small), count_queries(*large)
        self.stdout.write(
            f"Queries of the {what}: {small_count} with {SMALL_ROWS} rows, {large_count} with "
            f"{total:,} rows; query count constant: "
            f"{'yes' if small_count == large_count else 'no'}")

    def report(self, admin, requests):
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
        p95s = self.measure_pages(http, pages, requests, TARGET_P95_MS)
        self.stdout.write("")
        self.constant_queries("client list", (http, f"/admin/clients?county={SMALL_COUNTY}"),
                              (http, "/admin/clients"), Client.objects.count())
        slow = [label for label, p95 in p95s.items() if p95 >= TARGET_P95_MS]
        verdict = "PASS" if p95s["client list"] < TARGET_P95_MS else "FAIL"
        self.stdout.write(f"Target: client list p95 < {TARGET_P95_MS} ms: {verdict}"
                          + (f" (list pages over it: {', '.join(slow)})" if slow else ""))

    def report_leads(self, data, admin, agent, small_agent, requests):
        first_column = f"/admin/leads/board/{data.first_status.pk}"
        pages = [
            ("kanban (first paint)", lambda: "/admin/leads", {}, True),
            ("kanban column (htmx)", lambda: first_column, {"HX-Request": "true"}, True),
            ("kanban column, load more", lambda: f"{first_column}?before={data.cursor}",
             {"HX-Request": "true"}, True),
            ("lead list", lambda: "/admin/leads?view=list", {}, True),
            ("list: source + agent", lambda: (f"/admin/leads?view=list&source="
                                              f"{data.source.pk}&assigned={agent.pk}"), {}, True),
            ("list: ?filter=today", lambda: "/admin/leads?filter=today", {}, True),
            ("list: ?filter=stagnant", lambda: "/admin/leads?filter=stagnant", {}, True),
            ("opportunities", lambda: "/admin/opportunities", {}, True),
            ("dashboard (uncontacted widget)", lambda: "/admin", {}, False),
        ]
        checked = [("lead list", "/admin/leads?view=list", "assigned"),
                   ("Kanban page", "/admin/leads", "assigned"),
                   ("Kanban column", first_column, "assigned"),
                   ("opportunities list", "/admin/opportunities", "owner")]
        small_http = logged_in(small_agent)
        p95s = {}
        own = Lead.objects.filter(assigned_to=agent).count()
        for user, scope in ((admin, "Administrator, all leads"),
                            (agent, f"Sales Agent, own leads: {own:,}")):
            http = logged_in(user)
            self.stdout.write(f"\nLeads as {user.username} ({scope}); {requests} requests "
                              "per page:")
            measured = self.measure_pages(http, pages, requests, LEAD_TARGET_P95_MS)
            p95s.update({f"{label} ({user.username})": p95 for label, p95 in measured.items()})
            self.stdout.write("")
            for what, url, person in checked:
                if user == admin:  # a filter on the agent who has SMALL_ROWS leads
                    joiner = "&" if "?" in url else "?"
                    small = (http, f"{url}{joiner}{person}={small_agent.pk}")
                    total = data.total
                else:  # the same page for that agent (own scope)
                    small, total = (small_http, url), own
                self.constant_queries(what, small, (http, url), total)
        slow = [label for label, p95 in p95s.items() if p95 >= LEAD_TARGET_P95_MS]
        self.stdout.write(f"Target: lead pages p95 < {LEAD_TARGET_P95_MS} ms: "
                          f"{'FAIL' if slow else 'PASS'}"
                          + (f" (over it: {', '.join(slow)})" if slow else ""))


class LeadData:
    """The leads of the benchmark: one table over two pipelines (the seeded "Sales" pipeline
    and a partner pipeline), five agents plus unassigned leads, every source; 10% lost, 5%
    junk, 5% opportunities; created over two years, newest first. A sixth agent owns exactly
    SMALL_ROWS leads (active, in the first column) and SMALL_ROWS opportunities: the short
    side of the query-count check.

    Rows are written as precomputed tuples (executemany on SQLite, COPY on PostgreSQL):
    bulk_create spends ~3 s per 10,000 leads preparing values, which makes a million take
    six minutes on two cores."""

    COLUMNS = [
        "is_opportunity", "name", "company", "position", "email", "phone", "website",
        "industry", "city", "company_size", "value", "currency", "description",
        "custom_values", "pipeline_id", "status_id", "status_changed_at", "source_id",
        "assigned_to_id", "last_contacted_at", "lost_at", "lost_reason_id", "lost_note",
        "is_junk", "opportunity_status_id", "probability", "close_date", "created_at",
        "updated_at",
    ]

    def __init__(self, agents, small_agent):
        self.agents, self.small_agent = agents, small_agent
        sales = Pipeline.objects.get(name="Sales")
        self.sales_stages = list(sales.statuses.order_by("order", "id"))
        partners, _ = Pipeline.objects.get_or_create(name=PARTNER_PIPELINE,
                                                     defaults={"order": 10})
        self.partner_stages = [
            LeadStatus.objects.get_or_create(pipeline=partners, name=name,
                                             defaults={"order": order})[0]
            for order, name in enumerate(PARTNER_STAGES)]
        self.sources = list(LeadSource.objects.all())
        self.reasons = list(LostReason.objects.all())
        self.opportunity_statuses = list(OpportunityStatus.objects.filter(outcome="open"))
        self.tag, _ = Tag.objects.get_or_create(name="bench-vip")
        self.stage_of = [stage for stage, share in zip(self.sales_stages, STAGE_SHARES,
                                                       strict=True) for _ in range(share)]
        self.first_status = self.sales_stages[0]
        self.source = self.sources[0]
        self.stamp = connection.ops.adapt_datetimefield_value
        self.day = connection.ops.adapt_datefield_value
        self.total = self.added = 0
        self.cursor = ""

    @classmethod
    def seed(cls, total, agents, small_agent):
        data = cls(agents, small_agent)
        start = Lead.objects.count()
        newest = timezone.now()
        data.added = data.insert(data.row(index, newest - LEAD_CREATED_EVERY * index, newest)
                                 for index in range(start, total))
        data.added += data.top_up_today(max(total, start))
        data.tag_every_fiftieth()
        data.total = Lead.objects.count()
        last = (Lead.objects.leads().active().filter(status=data.first_status)
                .order_by("-status_changed_at", "-id")[19:20].get())
        data.cursor = quote(f"{last.status_changed_at.isoformat()}|{last.pk}")
        return data

    def insert(self, rows):
        table = connection.ops.quote_name(Lead._meta.db_table)
        columns = ", ".join(self.COLUMNS)
        added = 0
        while batch := list(islice(rows, LEAD_BATCH)):
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(self.COLUMNS))
                    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, batch)
            added += len(batch)
        return added

    def tag_every_fiftieth(self):
        """The tag on every 50th lead not tagged yet (one INSERT … SELECT)."""
        through = Lead.tags.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {through} (lead_id, tag_id) SELECT id, %s "  # noqa: S608
                f"FROM {Lead._meta.db_table} WHERE id %% 50 = 0 AND id > (SELECT "
                f"COALESCE(MAX(lead_id), 0) FROM {through} WHERE tag_id = %s)",
                [self.tag.pk, self.tag.pk])

    def top_up_today(self, next_index):
        """A day's intake since midnight, so that ?filter=today and the uncontacted widget
        show what they would on a live system on whichever day the benchmark runs."""
        now = timezone.now()
        midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
        wanted = min(int((now - midnight) / LEAD_CREATED_EVERY), LEADS_PER_DAY)
        missing = wanted - Lead.objects.filter(created_at__gte=midnight).count()
        if missing <= 0:
            return 0
        step = (now - midnight) / missing
        return self.insert(self.row(next_index + offset, now - step * offset, now)
                           for offset in range(missing))

    def row(self, index, created_at, now):
        """The index-th lead as a tuple of COLUMNS."""
        kind = index % 20  # 0-15 an active lead, 16-17 lost, 18 junk, 19 an opportunity
        small = index < SMALL_ROWS or (kind == 19 and index < 20 * SMALL_ROWS)
        changed_at = created_at + (now - created_at) * ((index * 7919) % 100 / 100)
        if index < SMALL_ROWS:
            status = self.first_status
        elif index % 10 == 7:
            status = self.partner_stages[index // 10 % len(self.partner_stages)]
        else:
            status = self.stage_of[index * 37 % 100]
        agent = (self.small_agent if small
                 else self.agents[(index * 7 + index // 20) % len(self.agents)] if index % 7
                 else None)
        value = Decimal(500 + index * 37 % 50_000) if index % 4 else None
        lost = kind in (16, 17) and not small
        opportunity = kind == 19
        stamp = self.stamp(changed_at)
        return (
            opportunity,
            f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[index // 3 % len(LAST_NAMES)]}",
            f"{NAME_ROOTS[index % len(NAME_ROOTS)]} {NAME_TRADES[index // 7 % len(NAME_TRADES)]}"
            " SRL",
            "", f"lead{index}@prospect{index % 997}.example.ro", "", "", "",
            PLACES[index % len(PLACES)][0], "",
            Decimal(1000 + index * 53 % 90_000) if opportunity else value,
            "RON", "", "{}",
            status.pipeline_id, status.pk, stamp,
            self.sources[index // 7 % len(self.sources)].pk,
            agent.pk if agent else None,
            None if index % 3 == 0 else stamp,
            stamp if lost else None,
            self.reasons[index % len(self.reasons)].pk if lost else None,
            "",
            kind == 18 and not small,
            self.opportunity_statuses[index % len(self.opportunity_statuses)].pk
            if opportunity else None,
            index % 10 * 10 if opportunity else None,
            self.day((created_at + timedelta(days=30 + index % 150)).date())
            if opportunity else None,
            self.stamp(created_at), stamp,
        )


def seed_staff():
    """The benchmark's administrator, OWNER_COUNT sales agents (client owners, lead agents)
    and the agent with only SMALL_ROWS leads."""
    admin = bench_user("bench-admin", roles.ADMINISTRATOR)
    agents = [bench_user(f"bench-agent-{n}", roles.SALES_AGENT, first_name="Agent",
                         last_name=str(n)) for n in range(1, OWNER_COUNT + 1)]
    small_agent = bench_user("bench-agent-small", roles.SALES_AGENT, first_name="Agent",
                             last_name="Small")
    return admin, agents, small_agent


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
