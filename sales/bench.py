"""The sales part of `manage.py bench`: 200,000 proposals and the proposals list, its filters
and sorts, one proposal page and one PDF over them (see crmconnect.core.bench)."""

import re
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.core.bench import (
    SEARCH_TEXT,
    SMALL_ROWS,
    TARGET_P95_MS,
    bulk_insert,
    logged_in,
    refresh_statistics,
)
from crmconnect.core.money import Line, document_totals

from .models import Proposal, ProposalLine
from .pdf import proposal_pdf

DEFAULT_ROWS = 200_000
BATCH = 10_000
WITH_LINES = 1_000  # the proposals that get real lines (the detail page and the PDF)
CREATED_EVERY = timedelta(minutes=5)  # 200,000 proposals span almost two years
SUBJECT_TEXT = "migration"  # in the subject of one proposal in twelve
PDF_RENDERS = 10
S = Proposal.Status
# The share of each status in percent, over all seven codes.
STATUS_SHARES = [(S.DRAFT, 10), (S.SENT, 15), (S.REVIEWED, 15), (S.ACCEPTED, 25),
                 (S.DECLINED, 20), (S.REVISED, 5), (S.SENT_MANUALLY, 10)]
TOPICS = ["Network upgrade", "Cloud migration", "Support contract", "Licence renewal",
          "Security audit", "ERP implementation", "Laptop refresh", "Training programme",
          "Website redesign", "Backup service", "VoIP telephony", "Data centre move"]
# Line sets: (description, quantity, unit price, discount %, VAT %)
PATTERNS = [
    [(f"{TOPICS[n % len(TOPICS)]}: consulting", Decimal(8 + n % 30), Decimal(180 + n * 7),
      Decimal(n % 4 * 5), Decimal(21)),
     ("Licences, 12 months", Decimal(5 + n % 50), Decimal("105.50") + n, Decimal(0),
      Decimal(21)),
     ("Printed documentation", Decimal(1 + n % 3), Decimal("120.00"), Decimal(0), Decimal(11))]
    for n in range(50)]
SUBJECT_INDEX = re.compile(r"#(\d+)$")
DOCUMENT_DISCOUNT = Decimal(5)  # on every ninth proposal


def run(report, staff, requests, scale):
    started = time.perf_counter()
    data = ProposalData(staff)
    added = data.seed(int(DEFAULT_ROWS * scale))
    refresh_statistics([Proposal, ProposalLine])  # also after a migration added an index
    report.write(f"Proposals: {data.total:,} ({added:,} added in "
                 f"{time.perf_counter() - started:.1f} s).")
    report_proposals(report, data, staff, requests)


def report_proposals(report, data, staff, requests):
    admin, agent, small_agent = staff.admin, staff.agents[0], staff.small_agent
    detail = data.with_lines[0]
    pages = [
        ("proposal list", lambda: "/admin/proposals", {}, True),
        ("?status=4", lambda: "/admin/proposals?status=4", {}, True),
        ("?filter=expired", lambda: "/admin/proposals?filter=expired", {}, True),
        ("?filter=not_viewed", lambda: "/admin/proposals?filter=not_viewed", {}, True),
        ("sorted by total", lambda: "/admin/proposals?o=-total", {}, True),
        ("search", lambda: f"/admin/proposals?q={SUBJECT_TEXT}", {}, True),
        ("search, a client's name", lambda: f"/admin/proposals?q={SEARCH_TEXT}", {}, True),
        ("deep page (100)", lambda: "/admin/proposals?page=100", {}, True),
        ("proposal page", lambda: f"/admin/proposals/{detail}", {}, False),
    ]
    own = Proposal.objects.filter(assigned_to=agent).count()
    p95s = {}
    for user, scope, measured in ((admin, "Administrator, all proposals", pages),
                                  (agent, f"Sales Agent, own proposals: {own:,}", pages[:7])):
        http = logged_in(user)
        report.write(f"\nProposals as {user.username} ({scope}); {requests} requests per page:")
        p95s.update({f"{label} ({user.username})": p95 for label, p95 in
                     report.measure_pages(http, measured, requests, TARGET_P95_MS).items()})
    report.write(f"PDF of a proposal with {len(PATTERNS[0])} lines: median "
                 f"{pdf_median_ms(detail):.0f} ms over {PDF_RENDERS} renders")
    report.write("")
    admin_http = logged_in(admin)
    report.constant_queries("proposal list", (admin_http, f"/admin/proposals?assigned="
                                                          f"{small_agent.pk}"),
                            (admin_http, "/admin/proposals"), data.total)
    report.constant_queries("own proposal list", (logged_in(small_agent), "/admin/proposals"),
                            (logged_in(agent), "/admin/proposals"), own)
    report.verdict("proposal list pages", p95s, TARGET_P95_MS)


def pdf_median_ms(pk):
    proposal = Proposal.objects.select_related("client", "assigned_to").get(pk=pk)
    proposal_pdf(proposal)  # fonts and templates load once
    times = []
    for _ in range(PDF_RENDERS):
        started = time.perf_counter()
        proposal_pdf(proposal)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pattern_totals(pattern, discount):
    return document_totals([Line(quantity=quantity, unit_price=price, discount_percent=off,
                                 vat_rate=vat) for _, quantity, price, off, vat in pattern],
                           discount_percent=discount)


class ProposalData:
    """The proposals of the benchmark: for the bench clients, over the five agents (by
    client) and a sixth agent with exactly SMALL_ROWS proposals; all seven statuses; dated
    over two years, open 21 days each, so that most open ones are expired as on a live
    system. Totals are stored as the lines would give them (50 line sets); the first
    WITH_LINES proposals also get the lines themselves.

    Rows are written as tuples by bulk_insert, as the leads are."""

    COLUMNS = [
        "client_id", "currency", "exchange_rate", "date", "assigned_to_id", "created_by_id",
        "discount_percent", "terms", "notes", "subtotal", "discount_total", "vat_total",
        "total", "created_at", "updated_at", "subject", "status", "recipient_name",
        "recipient_email", "content", "open_till", "allow_comments", "sent_at", "viewed_at",
        "accepted_at", "declined_at", "decline_reason", "signer_name", "signer_email",
        "signature",
    ]

    def __init__(self, staff):
        self.agents, self.small_agent = staff.agents, staff.small_agent
        self.clients = list(Client.objects.order_by("pk").values_list("pk", "name")[:20_000])
        self.status_of = [status for status, share in STATUS_SHARES for _ in range(share)]
        self.totals = {(number, discount): pattern_totals(pattern, discount)
                       for number, pattern in enumerate(PATTERNS)
                       for discount in (Decimal(0), DOCUMENT_DISCOUNT)}
        self.stamp = connection.ops.adapt_datetimefield_value
        self.day = connection.ops.adapt_datefield_value
        self.total = 0
        self.with_lines = []

    def seed(self, total):
        start = Proposal.objects.count()
        newest = timezone.now()
        added = bulk_insert(Proposal, self.COLUMNS,
                            (self.row(index, newest - CREATED_EVERY * index, newest)
                             for index in range(start, total)), BATCH)
        self.total = Proposal.objects.count()
        self.add_lines()
        return added

    def row(self, index, created_at, now):
        """The index-th proposal as a tuple of COLUMNS."""
        client_pk, client_name = self.clients[index % len(self.clients)]
        small = index < SMALL_ROWS
        agent = self.small_agent if small else self.agents[index % len(self.agents)]
        status = self.status_of[index * 37 % 100]
        discount = DOCUMENT_DISCOUNT if index % 9 == 0 else Decimal(0)
        totals = self.totals[index % len(PATTERNS), discount]
        sent = None if status == S.DRAFT else created_at + timedelta(hours=2)
        viewed = (created_at + timedelta(days=1)
                  if status in (S.REVIEWED, S.ACCEPTED, S.DECLINED) else None)
        accepted = created_at + timedelta(days=3) if status == S.ACCEPTED else None
        declined = created_at + timedelta(days=4) if status == S.DECLINED else None
        stamp = self.stamp
        return (
            client_pk, "EUR" if index % 10 == 0 else "RON",
            Decimal("4.9765") if index % 10 == 0 else Decimal(1),
            self.day(created_at.date()), agent.pk, agent.pk, discount, "", "",
            totals.subtotal, totals.discount, totals.vat, totals.total,
            stamp(created_at), stamp(max(created_at, accepted or declined or created_at)),
            f"{TOPICS[index % len(TOPICS)]} for {client_name} #{index}", int(status),
            "Ana Contact", f"ana{index % 5000}@contact.example.ro", "",
            self.day((created_at + timedelta(days=21)).date()), True,
            sent and stamp(sent), viewed and stamp(viewed), accepted and stamp(accepted),
            declined and stamp(declined), "Budget cut" if declined else "",
            "Ana Contact" if accepted else "", "", "Ana Contact" if accepted else "",
        )

    def add_lines(self):
        """Lines for the WITH_LINES newest proposals that have none yet."""
        newest = list(Proposal.objects.order_by("-created_at", "-id")
                      .values_list("pk", "subject")[:WITH_LINES])
        self.with_lines = [pk for pk, _ in newest]
        have = set(ProposalLine.objects.filter(proposal_id__in=self.with_lines)
                   .values_list("proposal_id", flat=True))
        rows = []
        for pk, subject in newest:
            if pk in have:
                continue
            pattern = int(SUBJECT_INDEX.search(subject).group(1)) % len(PATTERNS)
            for position, (description, quantity, price, discount, vat) in enumerate(
                    PATTERNS[pattern]):
                net = Line(quantity=quantity, unit_price=price, discount_percent=discount).net
                rows.append(ProposalLine(proposal_id=pk, position=position,
                                         description=description, quantity=quantity,
                                         unit="hour", unit_price=price,
                                         discount_percent=discount, vat_rate=vat, net=net))
        ProposalLine.objects.bulk_create(rows, batch_size=BATCH)
