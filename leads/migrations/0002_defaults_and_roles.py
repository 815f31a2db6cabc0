from django.db import migrations

from crmconnect.staff.roles import grant_role_defaults

STATUSES = ["New", "Contacted", "Qualified", "Demo Scheduled", "Proposal Sent"]
COLORS = ["#0d6efd", "#6610f2", "#198754", "#fd7e14", "#d63384"]
SOURCES = ["Web form", "Facebook", "Email", "Import", "Referral", "Manual"]
LOST_REASONS = ["Price too high", "Won by competitor", "Budget unavailable"]
OPPORTUNITY_STATUSES = [
    ("Qualification", "open", "#0dcaf0"), ("Needs analysis", "open", "#0d6efd"),
    ("Proposal", "open", "#6610f2"), ("Negotiation", "open", "#fd7e14"),
    ("Won", "won", "#198754"), ("Lost", "lost", "#dc3545"),
]


def seed(apps, schema_editor):
    Pipeline = apps.get_model("leads", "Pipeline")
    LeadStatus = apps.get_model("leads", "LeadStatus")
    LeadSource = apps.get_model("leads", "LeadSource")
    LostReason = apps.get_model("leads", "LostReason")
    OpportunityStatus = apps.get_model("leads", "OpportunityStatus")
    pipeline, _ = Pipeline.objects.get_or_create(name="Sales", defaults={"is_default": True})
    for order, (name, color) in enumerate(zip(STATUSES, COLORS, strict=True)):
        LeadStatus.objects.get_or_create(pipeline=pipeline, name=name,
                                         defaults={"order": order, "color": color})
    for name in SOURCES:
        LeadSource.objects.get_or_create(name=name)
    for name in LOST_REASONS:
        LostReason.objects.get_or_create(name=name)
    for order, (name, outcome, color) in enumerate(OPPORTUNITY_STATUSES):
        OpportunityStatus.objects.get_or_create(
            name=name, defaults={"order": order, "outcome": outcome, "color": color})
    grant_role_defaults(apps, ["leads"])


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
        ("staff", "0002_roles"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
