"""Demo sales data for `manage.py seed_demo` (after the kernel's and the leads' demo data): the
catalogue; proposals for demo clients and opportunities in every status a sales team sees —
draft, sent, reviewed, accepted with a typed signature, declined, expired; sales orders (new,
confirmed, awaiting the warehouse, cancelled) and contracts (draft, signed online, signed on
paper and ending in 45 days, expired), all made through the services.

Each proposal and contract is found by its subject, each order by its client's reference,
before it is made, so a second run adds nothing."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.core.portal import new_token
from leads.models import Lead

from .demo_catalogue import seed_catalogue
from .models import Contract, ContractType, Item, Proposal, SalesOrder
from .pdf import contract_pdf
from .pricing import quote
from .services.contracts import (
    contract_create,
    contract_from_proposal,
    contract_mark_signed_manually,
    contract_sign,
    contracts_check,
)
from .services.orders import (
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_from_proposal,
)
from .services.portal import portal_accept, portal_decline, portal_open
from .services.proposals import log, proposal_create

DEMO_IP = "192.0.2.10"  # TEST-NET-1: documentation addresses
COVER = ("<p>Thank you for the meeting. As discussed, this proposal covers the items below; "
         "prices are valid until the date shown.</p>")
TERMS = ("<ul><li>Payment within 15 days of the invoice.</li>"
         "<li>Services are invoiced monthly, licences in advance.</li></ul>")

# (subject, client name or opportunity name, agent, status, days ago,
#  lines as (item code, quantity))
PROPOSALS = [
    ("Microsoft 365 rollout, 40 users", "Transilvania Logistic SRL", "agent", "draft", 1,
     [("LIC-M365-BP", 40), ("SRV-CONS", 16), ("SRV-TRAIN", 10)]),
    ("GDPR audit and remediation plan", "Carpați Software SRL", "am", "sent", 2,
     [("SRV-GDPR-AUD", 3), ("SRV-CONS", 12)]),
    ("e-Factura integration", "Dunărea Agro SA", "kam", "reviewed", 4,
     [("SRV-EFACT", 1), ("SRV-CONS", 8)]),
    ("Support contract 2026", "Bega Construct SRL", "agent", "accepted", 9,
     [("SRV-SUP-8X5", 12), ("LIC-ESET-EP", 25)]),
    ("Office laptops refresh", "Moldova Mobila SRL", "am", "declined", 15,
     [("HW-LAPTOP-14", 12), ("HW-UPS-1500", 3), ("PUB-MANUAL", 12)]),
    ("ERP Cloud pilot", "Litoral Turism SRL", "agent", "expired", 40,
     [("LIC-ERP-SMB", 6), ("SRV-TRAIN", 4)]),
    ("Fleet tracking platform", "Alexandru Pavel", "agent", "sent", 5,
     [("SRV-CONS", 24), ("LIC-ERP-SMB", 12)]),
]
ACCEPTED = "Support contract 2026"  # becomes a sales order and a contract signed online

# (client's reference, client, status, lines as (item code, quantity)); the order of the
# accepted proposal is added to these.
ORDERS = [
    ("PO-TL-2026-031", "Transilvania Logistic SRL", "confirmed",
     [("LIC-M365-BP", 40), ("SRV-SUP-8X5", 12)]),
    ("PO-MM-0417", "Moldova Mobila SRL", "warehouse", [("HW-LAPTOP-14", 6), ("HW-UPS-1500", 2)]),
    ("PO-LS-88", "Lactate Someș SRL", "cancelled", [("SRV-TRAIN", 8)]),
]
RENEWAL_TERMS = ("Renews automatically for one more year unless either party gives notice "
                 "60 days before the end date.")

# (subject, client, type, value, start and end in days from today, signed: "" / "paper")
CONTRACTS = [
    ("IT support SLA 2027", "Carpați Software SRL", "Maintenance and support (SLA)",
     "24000.00", 30, 395, ""),
    ("Hosting and backup services", "Dunărea Agro SA", "Services agreement", "18600.00",
     -320, 45, "paper"),
    ("Website maintenance 2025", "Litoral Turism SRL", "Maintenance and support (SLA)",
     "6000.00", -400, -35, "paper"),
]


def seed_demo():
    """Create the demo catalogue and the missing demo proposals, orders and contracts;
    return {label: rows}."""
    created = seed_catalogue()
    created["proposals"] = 0
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in={agent for _, _, agent, *_ in PROPOSALS})}
    items = {item.code: item for item in Item.objects.filter(
        code__in={code for *_, lines in [*PROPOSALS, *ORDERS] for code, _ in lines})}
    for subject, party, agent, status, days_ago, lines in PROPOSALS:
        if Proposal.objects.filter(subject=subject).exists() or agent not in users:
            continue
        client = Client.objects.filter(name=party).first()
        lead = None if client else Lead.objects.opportunities().filter(name=party).first()
        if (client or lead) is None or any(code not in items for code, _ in lines):
            continue
        _seed_proposal(subject, client, lead, users[agent], status, days_ago,
                       [priced_line(items[code], client, quantity)
                        for code, quantity in lines])
        created["proposals"] += 1
    manager = get_user_model().objects.filter(username="manager").first()
    if manager is not None:  # confirms the orders and records the paper signatures
        created["orders"] = _seed_orders(manager, items)
        created["contracts"] = _seed_contracts(manager)
    return created


def priced_line(item, client, quantity):
    """A document line of `quantity` of `item` at the client's price (other modules' demo
    documents use it too)."""
    price = quote(item=item, client=client, quantity=quantity, currency="RON")
    return {"item": item, "description": item.name, "quantity": Decimal(quantity),
            "unit": item.unit, "unit_price": price.unit_price,
            "discount_percent": price.discount_percent, "vat_rate": item.vat_rate.rate,
            "vat_category": item.vat_rate.category, "price_source": price.source}


@transaction.atomic
def _seed_proposal(subject, client, lead, agent, status, days_ago, lines):
    date = timezone.localdate() - timedelta(days=days_ago)
    proposal = proposal_create(actor=agent, subject=subject, client=client, lead=lead,
                               date=date, content=COVER, terms=TERMS, lines=lines)
    if status == "draft":
        return proposal
    _mark_sent(agent, proposal, sent_at=timezone.now() - timedelta(days=max(days_ago - 1, 0)))
    if status == "reviewed":
        portal_open(proposal=proposal, ip=DEMO_IP)
    elif status == "accepted":
        portal_open(proposal=proposal, ip=DEMO_IP)
        signer = proposal.recipient_name or proposal.recipient
        portal_accept(proposal=proposal, signer_name=signer, signer_email=proposal.recipient_email,
                      signature=signer, ip=DEMO_IP)
    elif status == "declined":
        portal_open(proposal=proposal, ip=DEMO_IP)
        portal_decline(proposal=proposal, reason="We postpone the purchase to next year.",
                       ip=DEMO_IP)
    elif status == "expired":
        Proposal.objects.filter(pk=proposal.pk).update(
            open_till=timezone.localdate() - timedelta(days=days_ago - 21))
    return proposal


def _mark_sent(agent, proposal, sent_at):
    """Sent (status 4) as `proposal_send` leaves it, without emailing the demo addresses."""
    proposal.send()
    proposal.sent_at = sent_at
    proposal.token_hash = new_token()[1]
    proposal.save()
    log(agent, proposal, "proposal.sent", f"sent to {proposal.recipient_email}",
        {"status": ["Draft", "Sent"]})


def _seed_orders(manager, items):
    made = 0
    accepted = Proposal.objects.filter(subject=ACCEPTED, status=Proposal.Status.ACCEPTED).first()
    if accepted is not None and not SalesOrder.objects.filter(proposal=accepted).exists():
        sales_order_from_proposal(actor=manager, proposal=accepted)  # stays New
        made += 1
    for reference, name, status, lines in ORDERS:
        client = Client.objects.filter(name=name).first()
        if (client is None or SalesOrder.objects.filter(client_reference=reference).exists()
                or any(code not in items for code, _ in lines)):
            continue
        _seed_order(manager, client, reference, status,
                    [priced_line(items[code], client, quantity) for code, quantity in lines])
        made += 1
    return made


@transaction.atomic
def _seed_order(manager, client, reference, status, lines):
    order = sales_order_create(actor=manager, client=client, client_reference=reference,
                               contact=client.primary_contact, assigned_to=client.owner,
                               awaiting_warehouse=status == "warehouse", lines=lines)
    if status == "cancelled":
        sales_order_cancel(actor=manager, order=order,
                           reason="The client moved the training to next quarter.")
    else:
        sales_order_confirm(actor=manager, order=order)


def _seed_contracts(manager):
    made = 0
    accepted = Proposal.objects.filter(subject=ACCEPTED, status=Proposal.Status.ACCEPTED).first()
    if accepted is not None and not Contract.objects.filter(proposal=accepted).exists():
        _seed_signed_online(manager, accepted)
        made += 1
    for subject, name, kind, value, start, end, signed in CONTRACTS:
        client = Client.objects.filter(name=name).first()
        if client is None or Contract.objects.filter(subject=subject).exists():
            continue
        _seed_contract(manager, client, subject, kind, Decimal(value), start, end, signed)
        made += 1
    contracts_check()  # as the daily job: the ended one expires, the ending one gets its task
    return made


@transaction.atomic
def _seed_signed_online(manager, proposal):
    contract = contract_from_proposal(actor=manager, proposal=proposal)
    contract.renewal_terms = RENEWAL_TERMS
    contract.contract_type = ContractType.objects.filter(
        name="Maintenance and support (SLA)").first()
    contract.save(update_fields=["renewal_terms", "contract_type"])
    contract_sign(contract=contract, signer_name=proposal.signer_name,
                  signer_email=proposal.signer_email, signature=proposal.signer_name, ip=DEMO_IP)


@transaction.atomic
def _seed_contract(manager, client, subject, kind, value, start, end, signed):
    today = timezone.localdate()
    contract = contract_create(
        actor=manager, subject=subject, client=client, contact=client.primary_contact,
        assigned_to=client.owner, contract_type=ContractType.objects.filter(name=kind).first(),
        value=value, start_date=today + timedelta(days=start),
        end_date=today + timedelta(days=end), renewal_terms=RENEWAL_TERMS, terms=TERMS,
        content=f"<p>{client.name} orders from us the services described below.</p>"
                f"<h3>Scope</h3><p>{subject}, as listed in the annex.</p>")
    if signed == "paper":
        scan = SimpleUploadedFile(f"{subject} signed.pdf", contract_pdf(contract),
                                  "application/pdf")
        contract_mark_signed_manually(
            actor=manager, contract=contract, scan=scan,
            signer_name=str(client.primary_contact or client.name),
            signed_on=today + timedelta(days=start - 5))
