"""Demo leads and opportunities for `manage.py seed_demo` (run after the kernel's demo data)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from .interactions import interaction_log
from .models import Lead, LeadSource, LostReason, OpportunityStatus, Pipeline
from .services import lead_convert_to_opportunity, lead_create, lead_mark_lost

# (name, company, city, industry, stage, source, agent, value, days ago)
LEADS = [
    ("Andreea Popescu", "Nordic Print SRL", "Cluj-Napoca", "Printing", "New", "Web form",
     "sdr", 12000, 0),
    ("Mihai Ionescu", "Delta Fresh SRL", "Tulcea", "Food", "New", "Facebook", "sdr", 8000, 0),
    ("Cristina Stan", "Bucovina Tur SRL", "Suceava", "Tourism", "New", "Email", "agent",
     5500, 1),
    ("George Marin", "Aqua Carpatica Trade SRL", "Vatra Dornei", "Beverages", "New",
     "Referral", "agent", 30000, 3),
    ("Ioana Dumitru", "Smart Parking Iași SRL", "Iași", "Software", "Contacted", "Web form",
     "agent", 18000, 6),
    ("Radu Petrescu", "Moldova Steel SA", "Galați", "Industry", "Contacted", "Manual", "am",
     95000, 9),
    ("Elena Vasilescu", "Green Roof Solutions SRL", "Brașov", "Construction", "Contacted",
     "Import", "agent", 22000, 12),
    ("Alexandru Pavel", "Danube Logistics SRL", "Constanța", "Logistics", "Qualified",
     "Referral", "agent", 64000, 20),
    ("Simona Georgescu", "Clinica Sănătatea SRL", "Timișoara", "Healthcare", "Qualified",
     "Web form", "am", 41000, 25),
    ("Florin Nistor", "AgroVest Banat SRL", "Arad", "Agriculture", "Demo Scheduled", "Email",
     "agent", 27000, 18),
    ("Larisa Enache", "Urban Fit Studios SRL", "București", "Fitness", "Demo Scheduled",
     "Facebook", "agent", 9000, 30),
    ("Victor Munteanu", "Transcarpatic Bus SRL", "Sibiu", "Transport", "Proposal Sent",
     "Referral", "am", 120000, 40),
    ("Paula Cozma", "Minerva Books SRL", "Craiova", "Retail", "Proposal Sent", "Manual",
     "agent", 15000, 35),
    ("Dan Oprea", "Litoral Yachts SRL", "Mangalia", "Leisure", "Qualified", "Web form", "sdr",
     50000, 45),
]
LOST = {"Paula Cozma": "Price too high"}
OPPORTUNITIES = [("Alexandru Pavel", "Negotiation", 60, 30),
                 ("Victor Munteanu", "Proposal", 40, 45),
                 ("Simona Georgescu", "Needs analysis", 25, 60)]
CALLS = [("Ioana Dumitru", 12, "Interested in 200 parking sensors; wants a demo next week."),
         ("Radu Petrescu", 25, "Procurement asks for references from other steel plants."),
         ("Alexandru Pavel", 18, "Budget approved for Q1; decision by the board in 3 weeks.")]


def _email(name, company):
    first = name.split()[0].lower()
    domain = company.lower().replace(" srl", "").replace(" sa", "").replace(" ", "-")
    return f"{first}@{domain}.example.ro"


def seed_demo():
    """Create the demo leads that are missing; return {label: rows created}."""
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["admin", "sdr", "agent", "am"])}
    pipeline = Pipeline.objects.filter(is_default=True).first()
    if pipeline is None or len(users) < 4:
        return {"leads": 0}
    stages = {status.name: status for status in pipeline.statuses.all()}
    sources = {source.name: source for source in LeadSource.objects.all()}
    created = {"leads": 0, "opportunities": 0}
    leads = {}
    now = timezone.now()
    for name, company, city, industry, stage, source, agent, value, days in LEADS:
        email = _email(name, company)
        lead = Lead.objects.leads().filter(email=email).first()
        if lead is None and stage in stages:
            lead = lead_create(
                actor=users["admin"], name=name, company=company, city=city,
                industry=industry, email=email,
                phone=f"+40 7{days:02d} {value % 1000:03d} {days * 7 % 1000:03d}",
                pipeline=pipeline, status=stages[stage], source=sources.get(source),
                assigned_to=users[agent], value=Decimal(value))
            Lead.objects.filter(pk=lead.pk).update(
                created_at=now - timedelta(days=days),
                status_changed_at=now - timedelta(days=min(days, 20)))
            created["leads"] += 1
        leads[name] = lead
    for name, minutes, summary in CALLS:
        lead = leads.get(name)
        if lead is not None and not lead.interactions.exists():
            interaction_log(actor=lead.assigned_to, lead=lead, kind="call", summary=summary,
                            duration_minutes=minutes)
    for name, reason in LOST.items():
        lead = leads.get(name)
        if lead is not None and lead.is_active:
            lead_mark_lost(actor=users["admin"], lead=lead,
                           reason=LostReason.objects.get(name=reason))
    for name, status, probability, close_in in OPPORTUNITIES:
        lead = leads.get(name)
        if lead is not None and not lead.opportunities.exists():
            lead_convert_to_opportunity(
                actor=users["admin"], lead=lead,
                opportunity_status=OpportunityStatus.objects.get(name=status),
                probability=probability, close_date=timezone.localdate() + timedelta(close_in))
            created["opportunities"] += 1
    return created
