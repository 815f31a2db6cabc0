from django.db import migrations

from crmconnect.staff.roles import grant_role_defaults

STATUSES = [("Draft", "draft", "#6c757d"), ("Active", "active", "#198754"),
            ("Expired", "expired", "#fd7e14"), ("Terminated", "terminated", "#dc3545")]
TYPES = ["Services agreement", "Maintenance and support (SLA)", "Software licence",
         "Framework agreement"]


def seed(apps, schema_editor):
    ContractStatus = apps.get_model("sales", "ContractStatus")
    ContractType = apps.get_model("sales", "ContractType")
    for order, (name, kind, color) in enumerate(STATUSES):
        ContractStatus.objects.get_or_create(name=name, defaults={"kind": kind, "color": color,
                                                                  "order": order})
    for name in TYPES:
        ContractType.objects.get_or_create(name=name)
    grant_role_defaults(apps, ["sales"])


class Migration(migrations.Migration):
    dependencies = [("sales", "0004_orders_and_contracts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
