"""The billing part of `manage.py bench`: 500,000 invoices with a payment for each paid or
partly paid one, and over them the invoices list (its filters, sort, number search and a deep
page), the invoice page, the invoice PDF and the payments list (see crmconnect.core.bench)."""

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
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

from .models import Invoice, InvoiceLine, Payment, PaymentAllocation, PaymentMode, Series
from .pdf import invoice_pdf
from .services.invoices import parties_now

DEFAULT_ROWS = 500_000
BATCH = 10_000
WITH_LINES = 200  # the newest invoices get their lines: the invoice page and the PDF
CREATED_EVERY = timedelta(minutes=2)  # 500,000 invoices span almost two years
DUE = timedelta(days=15)
PAID_AFTER = timedelta(days=10)
PDF_RENDERS = 20
PDF_TARGET_MS = 300
LIST = "/admin/invoices/list_invoices"
S = Invoice.Status
# The share of each status in percent.
STATUS_SHARES = [(S.DRAFT, 10), (S.UNPAID, 15), (S.OVERDUE, 10), (S.PARTIALLY_PAID, 10),
                 (S.PAID, 50), (S.CANCELLED, 5)]
PAID = (S.PAID, S.PARTIALLY_PAID)
PARTIAL_SHARE = Decimal("0.4")
SERVICES = ["Support contract 8x5", "IT consulting", "Cloud hosting", "Backup service",
            "Network maintenance", "Licences, 12 months", "On-site training",
            "Helpdesk hours", "Security monitoring", "ERP Cloud subscription"]
# Ten lines (description, quantity, unit price, VAT %) per set; every set has its own total,
# so an invoice's lines can be told from its stored total.
PATTERNS = [
    [(SERVICES[line], Decimal(1 + (n + line) % 12), Decimal(95 + 13 * n + 40 * line),
      Decimal(11) if line == 9 else Decimal(21)) for line in range(10)]
    for n in range(50)]


def run(report, staff, requests, scale):
    started = time.perf_counter()
    data = InvoiceData(staff)
    added = data.seed(int(DEFAULT_ROWS * scale))
    refresh_statistics([Invoice, InvoiceLine, Payment, PaymentAllocation])
    report.write(f"Invoices: {data.total:,}, payments: {data.payments:,} ({added:,} invoices "
                 f"added in {time.perf_counter() - started:.1f} s).")
    report_invoices(report, data, staff, requests)


def report_invoices(report, data, staff, requests):
    admin, agent, small_agent = staff.admin, staff.agents[0], staff.small_agent
    rng = random.Random(11)
    # The agent's own numbers: both the administrator and the agent find them.
    numbers = list(Invoice.objects.filter(assigned_to=agent).exclude(full_number="")
                   .order_by("?").values_list("full_number", flat=True)[:500])
    pages = [
        ("invoice list", lambda: LIST, {}, True),
        ("?status=4 (overdue)", lambda: f"{LIST}?status=4", {}, True),
        ("?filter=draft", lambda: f"{LIST}?filter=draft", {}, True),
        ("sorted by total", lambda: f"{LIST}?o=-total", {}, True),
        ("search by number", lambda: f"{LIST}?q={rng.choice(numbers)}", {}, True),
        ("search, a client's name", lambda: f"{LIST}?q={SEARCH_TEXT}", {}, True),
        ("deep page (100)", lambda: f"{LIST}?page=100", {}, True),
        ("payments list", lambda: "/admin/payments", {}, True),
        ("invoice page", lambda: f"/admin/invoices/{data.detail}", {}, False),
    ]
    own = Invoice.objects.filter(assigned_to=agent).count()
    p95s = {}
    for user, scope, measured in ((admin, "Administrator, all invoices", pages),
                                  (agent, f"Sales Agent, own invoices: {own:,}", pages[:8])):
        http = logged_in(user)
        report.write(f"\nInvoices as {user.username} ({scope}); {requests} requests per page:")
        p95s.update({f"{label} ({user.username})": p95 for label, p95 in
                     report.measure_pages(http, measured, requests, TARGET_P95_MS).items()})
    median = pdf_median_ms(data.detail)
    report.write(f"PDF of an invoice with {len(PATTERNS[0])} lines: median {median:.0f} ms "
                 f"over {PDF_RENDERS} renders: {'PASS' if median < PDF_TARGET_MS else 'FAIL'} "
                 f"(target < {PDF_TARGET_MS} ms)")
    report.write("")
    admin_http = logged_in(admin)
    report.constant_queries("invoice list", (admin_http, f"{LIST}?assigned={small_agent.pk}"),
                            (admin_http, LIST), data.total)
    report.constant_queries("own invoice list", (logged_in(small_agent), LIST),
                            (logged_in(agent), LIST), own)
    report.constant_queries("own payments list", (logged_in(small_agent), "/admin/payments"),
                            (logged_in(agent), "/admin/payments"),
                            Payment.objects.visible_to(agent).count())
    report.verdict("invoice and payment list pages", p95s, TARGET_P95_MS)


def pdf_median_ms(pk):
    invoice = Invoice.objects.select_related("client", "assigned_to", "series").get(pk=pk)
    invoice_pdf(invoice)  # fonts and templates load once
    times = []
    for _ in range(PDF_RENDERS):
        started = time.perf_counter()
        invoice_pdf(invoice)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class InvoiceData:
    """The invoices of the benchmark: for the bench clients, over the five agents and a sixth
    agent with exactly SMALL_ROWS invoices, in every status (Overdue only once past due),
    dated two minutes apart over two years, oldest first so that numbers follow the dates,
    numbered in one series without a gap. Totals are stored as the lines would give them (50
    line sets); the WITH_LINES newest also get the lines and their frozen parties. Each paid
    or partly paid invoice has one payment (with its receipt number) applied to it.

    Rows are written as tuples by bulk_insert, as the leads and proposals are."""

    COLUMNS = [
        "client_id", "currency", "exchange_rate", "date", "assigned_to_id", "created_by_id",
        "discount_percent", "terms", "notes", "subtotal", "discount_total", "vat_total",
        "total", "created_at", "updated_at", "kind", "status", "series_id", "sequence",
        "full_number", "due_date", "payment_terms", "sent", "sent_at", "issued_at",
        "amount_paid", "token_hash", "seller", "buyer", "cancelled_at", "cancel_reason",
    ]
    PAYMENT_COLUMNS = [
        "client_id", "currency", "amount", "allocated", "date", "mode_id",
        "transaction_reference", "note", "receipt_series_id", "receipt_sequence",
        "receipt_number", "recorded_by_id", "created_at", "void_reason",
    ]

    def __init__(self, staff):
        self.admin, self.agents, self.small_agent = staff.admin, staff.agents, staff.small_agent
        self.clients = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
        self.series = Series.objects.get(document_type=Series.DocumentType.INVOICE,
                                         is_default=True)
        self.receipts = Series.objects.get(document_type=Series.DocumentType.RECEIPT,
                                           is_default=True)
        self.mode = PaymentMode.objects.filter(kind=PaymentMode.Kind.BANK_TRANSFER).first()
        self.status_of = [status for status, share in STATUS_SHARES for _ in range(share)]
        self.totals = [document_totals([Line(quantity=quantity, unit_price=price,
                                             vat_rate=vat) for _, quantity, price, vat in lines])
                       for lines in PATTERNS]
        self.pattern_of = {totals.total: n for n, totals in enumerate(self.totals)}
        assert len(self.pattern_of) == len(PATTERNS), "each line set needs its own total"
        self.stamp = connection.ops.adapt_datetimefield_value
        self.day = connection.ops.adapt_datefield_value
        self.today = timezone.localdate()
        self.total = self.payments = 0
        self.detail = None

    def seed(self, total):
        start = Invoice.objects.count()
        self.sequence = Invoice.objects.filter(series=self.series).aggregate(
            last=Max("sequence"))["last"] or 0
        newest = timezone.now()
        added = bulk_insert(Invoice, self.COLUMNS,
                            (self.row(index, newest - CREATED_EVERY * (total - 1 - index))
                             for index in range(start, total)), BATCH)
        Series.objects.filter(pk=self.series.pk).update(next_number=self.sequence + 1)
        self.total = Invoice.objects.count()
        self.add_payments()
        self.add_lines()
        return added

    def row(self, index, created_at):
        """The index-th invoice as a tuple of COLUMNS."""
        small = index < SMALL_ROWS
        agent = self.small_agent if small else self.agents[index % len(self.agents)]
        date = timezone.localtime(created_at).date()
        due = date + DUE
        status = self.status_of[index * 37 % 100]
        if status == S.OVERDUE and due >= self.today:
            status = S.UNPAID
        # Each agent (index % 5) gets every line set, not a fifth of them.
        totals = self.totals[index // len(self.agents) % len(PATTERNS)]
        issued = status != S.DRAFT
        if issued:
            self.sequence += 1
        paid = {S.PAID: totals.total,
                S.PARTIALLY_PAID: (totals.total * PARTIAL_SHARE).quantize(Decimal("0.01"))
                }.get(status, Decimal(0))
        euro = index % 10 == 0
        stamp, cancelled = self.stamp, status == S.CANCELLED
        return (
            self.clients[index % len(self.clients)], "EUR" if euro else "RON",
            Decimal("4.9765") if euro else Decimal(1), self.day(date), agent.pk, agent.pk,
            Decimal(0), "", "", totals.subtotal, totals.discount, totals.vat, totals.total,
            stamp(created_at), stamp(created_at), Invoice.Kind.INVOICE, int(status),
            self.series.pk if issued else None, self.sequence if issued else None,
            self.series.format(self.sequence) if issued else "", self.day(due),
            "Payment by bank transfer within 15 days.", issued and index % 5 != 0,
            stamp(created_at) if issued and index % 5 != 0 else None,
            stamp(created_at) if issued else None, paid, "", "{}", "{}",
            stamp(created_at + timedelta(days=1)) if cancelled else None,
            "Issued twice" if cancelled else "",
        )

    def add_payments(self):
        """One payment (and its allocation) for each paid or partly paid invoice that has
        none, a page of invoices per transaction. The agent with SMALL_ROWS invoices, who owns
        no client, recorded the first SMALL_ROWS payments: those are all their list shows."""
        last = PaymentAllocation.objects.aggregate(last=Max("invoice_id"))["last"] or 0
        receipt = Payment.objects.filter(receipt_series=self.receipts).aggregate(
            last=Max("receipt_sequence"))["last"] or 0
        while page := list(Invoice.objects.filter(pk__gt=last, status__in=PAID)
                           .order_by("pk").values_list("pk", "client_id", "currency",
                                                       "amount_paid", "date")[:BATCH]):
            rows = []
            for pk, client, currency, amount, date in page:
                receipt += 1
                paid_on = min(date + PAID_AFTER, self.today)
                recorder = self.small_agent if receipt <= SMALL_ROWS else self.admin
                rows.append((client, currency, amount, amount, self.day(paid_on), self.mode.pk,
                             f"BENCH-{pk}", "", self.receipts.pk, receipt,
                             self.receipts.format(receipt), recorder.pk,
                             self.stamp(timezone.now()), ""))
            with transaction.atomic():
                before = Payment.objects.aggregate(last=Max("pk"))["last"] or 0
                bulk_insert(Payment, self.PAYMENT_COLUMNS, iter(rows), BATCH)
                PaymentAllocation.objects.bulk_create(
                    [PaymentAllocation(payment_id=payment, invoice_id=int(reference[6:]),
                                       amount=amount, created_by=self.admin)
                     for payment, reference, amount in Payment.objects.filter(pk__gt=before)
                     .values_list("pk", "transaction_reference", "amount")], batch_size=BATCH)
            last = page[-1][0]
        Series.objects.filter(pk=self.receipts.pk).update(next_number=receipt + 1)
        self.payments = Payment.objects.count()

    def add_lines(self):
        """Lines and frozen parties for the WITH_LINES newest invoices that have none; the
        invoice page and the PDF open the newest issued one of them."""
        newest = list(Invoice.objects.select_related("client").order_by("-id")[:WITH_LINES])
        have = set(InvoiceLine.objects.filter(invoice__in=newest)
                   .values_list("invoice_id", flat=True))
        rows = []
        for invoice in newest:
            if invoice.pk in have:
                continue
            for position, (description, quantity, price, vat) in enumerate(
                    PATTERNS[self.pattern_of[invoice.total]]):
                rows.append(InvoiceLine(invoice=invoice, position=position,
                                        description=description, quantity=quantity,
                                        unit="month", unit_price=price, vat_rate=vat,
                                        net=Line(quantity=quantity, unit_price=price).net))
            if not invoice.is_draft:
                invoice.seller, invoice.buyer = parties_now(invoice)
                invoice.save(update_fields=["seller", "buyer"])
        InvoiceLine.objects.bulk_create(rows, batch_size=BATCH)
        self.detail = next(invoice.pk for invoice in newest if not invoice.is_draft)
