from django.db import migrations

from crmconnect.staff.roles import grant_role_defaults

SERIES = [("invoice", "Invoices", "CRM"), ("proforma", "Proformas", "PF"),
          ("credit_note", "Credit notes", "CN"), ("receipt", "Receipts", "CHT")]
MODES = [("Bank transfer", "bank_transfer", True), ("Cash", "cash", True),
         ("Card", "card", True), ("Online", "online", True)]


def seed(apps, schema_editor):
    Series = apps.get_model("billing", "Series")
    PaymentMode = apps.get_model("billing", "PaymentMode")
    for document_type, name, prefix in SERIES:
        if not Series.objects.filter(document_type=document_type).exists():
            Series.objects.create(document_type=document_type, name=name, prefix=prefix,
                                  is_default=True)
    for order, (name, kind, default) in enumerate(MODES):
        PaymentMode.objects.get_or_create(name=name, defaults={"kind": kind, "ordering": order,
                                                               "is_default": default})
    grant_role_defaults(apps, ["billing"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
