"""Demo billing data for `manage.py seed_demo` (after the sales demo): the company's tax data
where it is missing; three months of invoices for eight demo clients in every status a back
office sees — paid, partially paid, overdue (back-dated), sent, issued and not yet sent, draft
— an invoice cancelled as issued twice, an advance payment kept as client credit and applied
to an invoice, and invoices converted from accepted proposals and from a confirmed order. All
of it is made through the services, as the staff would.

Each invoice is found by its client and internal note (a converted one by its proposal's
subject or its order's client reference) before it is made, so a second run adds nothing."""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.company.models import CompanySettings
from crmconnect.core.demo import COMPANY
from sales.demo import priced_line
from sales.models import Item, Proposal, SalesOrder
from sales.services.lines import line_values
from sales.services.orders import sales_order_confirm, sales_order_create
from sales.services.proposals import (
    proposal_change_status,
    proposal_create,
    proposal_mark_sent_manually,
)

from .models import Invoice, Payment, PaymentMode
from .services.invoices import (
    invoice_cancel,
    invoice_create,
    invoice_from_order,
    invoice_from_proposal,
    invoice_issue,
    invoice_mark_sent,
    invoice_update,
)
from .services.payments import credit_apply, payment_record

DAY = timedelta(days=1)
PAID_AFTER = 10 * DAY  # clients who pay on time pay ten days after the invoice date
PARTIAL_SHARE = Decimal("0.4")
# (days before today the month's invoice is dated, the note that tells the months apart);
# the payment term of 15 days makes the first two months past due.
MONTHS = [(65, "month 1 of 3"), (35, "month 2 of 3"), (5, "month 3 of 3")]
MONTHLY_NOTE = "Monthly services, {month}"

# (client, lines as (item code, quantity), what became of the invoice of each month):
# draft, issued (not sent), sent, partial (40 % paid), paid, overdue (sent, nothing paid).
PLANS = [
    ("Transilvania Logistic SRL", [("SRV-SUP-8X5", 1), ("LIC-M365-BP", 40)],
     ("paid", "paid", "sent")),
    ("Carpați Software SRL", [("SRV-SUP-8X5", 1), ("SRV-CONS", 6)],
     ("paid", "partial", "sent")),
    ("Dunărea Agro SA", [("SRV-SUP-8X5", 1), ("LIC-ERP-SMB", 4)], ("paid", "overdue", "sent")),
    ("Bega Construct SRL", [("SRV-SUP-8X5", 1), ("SRV-CONS", 4)],
     ("overdue", "overdue", "sent")),
    ("Moldova Mobila SRL", [("SRV-SUP-8X5", 1)], ("paid", "paid", "issued")),
    ("Litoral Turism SRL", [("LIC-ERP-SMB", 2), ("SRV-CONS", 2)], ("partial", "paid", "sent")),
    ("Herăstrău Consulting SRL", [("SRV-SUP-8X5", 1), ("SRV-CONS", 10)],
     ("paid", "paid", "draft")),
    ("Olt Metal Industries SA", [("SRV-SUP-8X5", 1), ("LIC-M365-BP", 25)],
     ("paid", "partial", "issued")),
]
# Clients who pay by card; the others pay by bank transfer.
CARD_CLIENTS = {"Litoral Turism SRL"}

# (client, note, days ago, lines, reason): issued twice by mistake, so cancelled.
CANCELLED = ("Pipera Tech Hub SRL", "Consulting hours, March workshop", 12, [("SRV-CONS", 8)],
             "Issued twice by mistake: the hours are on the next monthly invoice.")

# (client, advance and its note, days ago, invoice note and lines): the advance is paid
# first, the invoice for the project takes it from the client's credit, the rest stays.
ADVANCE = ("Cibin Pharma SRL", Decimal("8000.00"), "Advance for the e-Factura project", 20,
           "e-Factura integration project", [("SRV-EFACT", 1), ("SRV-CONS", 8)])

# (subject, client, days ago, lines, what became of the invoice): proposals accepted by
# phone and invoiced directly.
PROPOSALS = [
    ("Network security audit", "Argeș Auto Parts SRL", 9,
     [("SRV-GDPR-AUD", 2), ("SRV-CONS", 8)], "draft"),
    ("Staff training, spring session", "Crișana Food Distribution SRL", 40,
     [("SRV-TRAIN", 12), ("PUB-MANUAL", 12)], "paid"),
]
# (client's reference, client, days ago, lines, what became of the invoice): an order
# confirmed by the sales manager and invoiced.
ORDER = ("PO-MEV-2026-014", "Mureș Energie Verde SRL", 25,
         [("HW-LAPTOP-14", 4), ("HW-UPS-1500", 1)], "partial")


def seed_demo():
    """Complete the company's tax data and create the missing demo invoices and payments;
    return {label: rows}."""
    _complete_company()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["salesadmin", "manager"])}
    if "salesadmin" not in users:  # the back office records the payments
        return {"invoices": 0, "payments": 0}
    demo = Demo(users["salesadmin"])
    for name, lines, outcomes in PLANS:
        for (days_ago, month), outcome in zip(MONTHS, outcomes, strict=True):
            demo.monthly(name, MONTHLY_NOTE.format(month=month), days_ago, lines, outcome)
    demo.cancelled(*CANCELLED)
    demo.advance(*ADVANCE)
    for spec in PROPOSALS:
        demo.from_proposal(*spec)
    if "manager" in users:
        demo.from_order(users["manager"], *ORDER)
    return {"invoices": demo.invoices, "payments": demo.payments}


def _complete_company():
    """The company's identity as an invoice prints it: only the fields still empty."""
    company = CompanySettings.load()
    missing = [field for field, value in COMPANY.items()
               if isinstance(value, str) and not getattr(company, field)]
    for field in missing:
        setattr(company, field, COMPANY[field])
    if missing:
        company.save(update_fields=missing)


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


class Demo:
    """Makes the demo invoices; the back office (`clerk`, a Sales Admin) records the
    payments and cancels, each client's owner makes, issues and sends its invoices."""

    def __init__(self, clerk):
        self.clerk = clerk
        self.items = {item.code: item for item in Item.objects.all()}
        self.today = timezone.localdate()
        self.modes = {mode.kind: mode for mode in PaymentMode.objects.filter(active=True)}
        self.invoices = self.payments = 0

    def _parties(self, name, lines):
        """(the demo client with an owner, the lines at its prices), or (None, None) when the
        client or an item of the catalogue is gone."""
        client = Client.objects.select_related("owner").filter(name=name,
                                                               owner__isnull=False).first()
        if client is None or any(code not in self.items for code, _ in lines):
            return None, None
        return client, [priced_line(self.items[code], client, quantity)
                        for code, quantity in lines]

    @transaction.atomic
    def monthly(self, name, note, days_ago, lines, outcome):
        client, lines = self._parties(name, lines)
        if client is None or Invoice.objects.filter(client=client, notes=note).exists():
            return
        invoice = invoice_create(actor=client.owner, client=client, notes=note,
                                 contact=client.primary_contact,
                                 date=self.today - days_ago * DAY, lines=lines)
        self.invoices += 1
        self._settle(invoice, outcome, "card" if name in CARD_CLIENTS else "bank_transfer")

    def _settle(self, invoice, outcome, mode="bank_transfer"):
        """Take the draft `invoice` to `outcome`, dated as it would have happened."""
        if outcome == "draft":
            return
        owner = invoice.assigned_to
        invoice = invoice_issue(actor=owner, invoice=invoice)
        stamps = {"issued_at": _at(invoice.date)}
        if outcome != "issued":
            invoice_mark_sent(actor=owner, invoice=invoice)
            stamps["sent_at"] = _at(invoice.date)
        Invoice.objects.filter(pk=invoice.pk).update(**stamps)
        if outcome in ("paid", "partial") and mode in self.modes:
            amount = invoice.total if outcome == "paid" else (
                invoice.total * PARTIAL_SHARE).quantize(Decimal(1), ROUND_HALF_UP)
            payment_record(actor=self.clerk, invoice=invoice, amount=amount,
                           mode=self.modes[mode],
                           date=min(invoice.date + PAID_AFTER, self.today),
                           transaction_reference=f"OP {invoice.pk:05d}")
            self.payments += 1

    @transaction.atomic
    def cancelled(self, name, note, days_ago, lines, reason):
        client, lines = self._parties(name, lines)
        if client is None or Invoice.objects.filter(client=client, notes=note).exists():
            return
        invoice = invoice_create(actor=client.owner, client=client, notes=note,
                                 date=self.today - days_ago * DAY, lines=lines)
        invoice = invoice_issue(actor=client.owner, invoice=invoice)
        invoice_cancel(actor=self.clerk, invoice=invoice, reason=reason)
        self.invoices += 1

    @transaction.atomic
    def advance(self, name, amount, payment_note, days_ago, note, lines):
        client, lines = self._parties(name, lines)
        if (client is None or "bank_transfer" not in self.modes
                or Payment.objects.filter(client=client, note=payment_note).exists()):
            return
        payment_record(actor=self.clerk, client=client, currency="RON", amount=amount,
                       mode=self.modes["bank_transfer"], date=self.today - days_ago * DAY,
                       note=payment_note, transaction_reference="OP 88412")
        self.payments += 1
        invoice = invoice_create(actor=client.owner, client=client, notes=note,
                                 contact=client.primary_contact,
                                 date=self.today - (days_ago - 6) * DAY, lines=lines)
        self.invoices += 1
        self._settle(invoice, "sent")
        credit_apply(actor=self.clerk, invoice=invoice)

    @transaction.atomic
    def from_proposal(self, subject, name, days_ago, lines, outcome):
        client, lines = self._parties(name, lines)
        if client is None or Proposal.objects.filter(subject=subject).exists():
            return
        owner = client.owner
        proposal = proposal_create(actor=owner, subject=subject, client=client,
                                   contact=client.primary_contact,
                                   date=self.today - (days_ago + 10) * DAY, lines=lines)
        proposal_mark_sent_manually(actor=owner, proposal=proposal)
        proposal = proposal_change_status(actor=owner, proposal=proposal,
                                          status=Proposal.Status.ACCEPTED)
        self._converted(invoice_from_proposal(actor=owner, proposal=proposal), days_ago,
                        outcome)

    @transaction.atomic
    def from_order(self, manager, reference, name, days_ago, lines, outcome):
        client, lines = self._parties(name, lines)
        if client is None or SalesOrder.objects.filter(client_reference=reference).exists():
            return
        owner = client.owner
        order = sales_order_create(actor=owner, client=client, client_reference=reference,
                                   contact=client.primary_contact,
                                   date=self.today - (days_ago + 3) * DAY, lines=lines)
        sales_order_confirm(actor=manager, order=order)
        self._converted(invoice_from_order(actor=owner, order=order), days_ago, outcome)

    def _converted(self, invoice, days_ago, outcome):
        """A converted draft dated `days_ago` (with the default term), then taken to
        `outcome`."""
        date = self.today - days_ago * DAY
        invoice = invoice_update(actor=invoice.assigned_to, invoice=invoice, date=date,
                                 due_date=date + (invoice.due_date - invoice.date),
                                 lines=line_values(invoice.lines.all()))
        self.invoices += 1
        self._settle(invoice, outcome)
