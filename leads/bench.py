"""The leads part of `manage.py bench`: a million leads and the Kanban, list and
opportunities pages over them (see crmconnect.core.bench)."""

import time
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from crmconnect.core.bench import (
    NAME_ROOTS,
    NAME_TRADES,
    PLACES,
    SMALL_ROWS,
    bulk_insert,
    logged_in,
    refresh_statistics,
)

from .models import Lead, LeadSource, LeadStatus, LostReason, OpportunityStatus, Pipeline, Tag

DEFAULT_ROWS = 1_000_000
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



def run(report, staff, requests, scale):
    started = time.perf_counter()
    data = LeadData.seed(int(DEFAULT_ROWS * scale), staff.agents, staff.small_agent)
    refresh_statistics([Lead, Lead.tags.through])  # also after a migration added an index
    report.write(f"Leads: {data.total:,} ({data.added:,} added in "
                 f"{time.perf_counter() - started:.1f} s).")
    report_leads(report, data, staff, requests)


def report_leads(report, data, staff, requests):
    admin, agent, small_agent = staff.admin, staff.agents[0], staff.small_agent
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
        report.write(f"\nLeads as {user.username} ({scope}); {requests} requests "
                          "per page:")
        measured = report.measure_pages(http, pages, requests, LEAD_TARGET_P95_MS)
        p95s.update({f"{label} ({user.username})": p95 for label, p95 in measured.items()})
        report.write("")
        for what, url, person in checked:
            if user == admin:  # a filter on the agent who has SMALL_ROWS leads
                joiner = "&" if "?" in url else "?"
                small = (http, f"{url}{joiner}{person}={small_agent.pk}")
                total = data.total
            else:  # the same page for that agent (own scope)
                small, total = (small_http, url), own
            report.constant_queries(what, small, (http, url), total)
    slow = [label for label, p95 in p95s.items() if p95 >= LEAD_TARGET_P95_MS]
    report.write(f"Target: lead pages p95 < {LEAD_TARGET_P95_MS} ms: "
                      f"{'FAIL' if slow else 'PASS'}"
                      + (f" (over it: {', '.join(slow)})" if slow else ""))


class LeadData:
    """The leads of the benchmark: one table over two pipelines (the seeded "Sales" pipeline
    and a partner pipeline), five agents plus unassigned leads, every source; 10% lost, 5%
    junk, 5% opportunities; created over two years, newest first. A sixth agent owns exactly
    SMALL_ROWS leads (active, in the first column) and SMALL_ROWS opportunities: the short
    side of the query-count check.

    Rows are written as precomputed tuples by bulk_insert: bulk_create would take six minutes
    for a million leads on two cores."""

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
        return bulk_insert(Lead, self.COLUMNS, rows, LEAD_BATCH)

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

