from django.db import migrations

from crmconnect.staff.roles import grant_role_defaults

TEMPLATES = [
    ("Monthly Services", "Monthly services", "<p>Thank you for considering us. Below are the "
     "services we propose to provide every month, with the price per month.</p>"),
    ("One-time Project", "Project proposal", "<p>This proposal covers the scope, the "
     "deliverables and the price of the project we discussed.</p>"),
    ("Product + Installation Package", "Products and installation", "<p>The products below "
     "are delivered and installed by our team; installation is priced separately.</p>"),
]
TERMS = ("<p>Prices exclude VAT unless stated. Payment within 15 days of the invoice date. "
         "This offer is valid until the date shown.</p>")


def seed(apps, schema_editor):
    ProposalTemplate = apps.get_model("sales", "ProposalTemplate")
    ProposalSettings = apps.get_model("sales", "ProposalSettings")
    ProposalSettings.objects.get_or_create(pk=1)
    for name, subject, content in TEMPLATES:
        ProposalTemplate.objects.get_or_create(
            name=name, defaults={"subject": subject, "content": content, "terms": TERMS})
    grant_role_defaults(apps, ["sales"])


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("staff", "0002_roles"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
