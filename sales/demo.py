"""Demo proposals for `manage.py seed_demo` (after the kernel's and the leads' demo data): the
catalogue, then proposals for demo clients and opportunities in every status a sales team
sees — draft, sent, reviewed, accepted with a typed signature, declined, expired.

Each proposal is found by its subject before it is made, so a second run adds nothing."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crmconnect.clients.models import Client
from crmconnect.core.portal import new_token
from leads.models import Lead

from .demo_catalogue import seed_catalogue
from .models import Item, Proposal
from .pricing import quote
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


def seed_demo():
    """Create the demo catalogue and the missing demo proposals; return {label: rows}."""
    created = seed_catalogue()
    created["proposals"] = 0
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in={agent for _, _, agent, *_ in PROPOSALS})}
    items = {item.code: item for item in Item.objects.filter(
        code__in={code for *_, lines in PROPOSALS for code, _ in lines})}
    for subject, party, agent, status, days_ago, lines in PROPOSALS:
        if Proposal.objects.filter(subject=subject).exists() or agent not in users:
            continue
        client = Client.objects.filter(name=party).first()
        lead = None if client else Lead.objects.opportunities().filter(name=party).first()
        if (client or lead) is None or any(code not in items for code, _ in lines):
            continue
        _seed_proposal(subject, client, lead, users[agent], status, days_ago,
                       [_line(items[code], client, quantity) for code, quantity in lines])
        created["proposals"] += 1
    return created


def _line(item, client, quantity):
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
