from decimal import Decimal

from django.db import migrations

RATES = [
    ("Standard", Decimal("21"), "S", True, 1),
    ("Reduced", Decimal("11"), "S", False, 2),
    ("Zero rated", Decimal("0"), "Z", False, 3),
]


def seed(apps, schema_editor):
    VatRate = apps.get_model("company", "VatRate")
    CompanySettings = apps.get_model("company", "CompanySettings")
    for name, rate, category, is_default, ordering in RATES:
        VatRate.objects.get_or_create(
            rate=rate, category=category,
            defaults={"name": name, "is_default": is_default, "ordering": ordering},
        )
    CompanySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("company", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
