from django.db import migrations

from crmconnect.staff.roles import grant_role_defaults


def create_roles(apps, schema_editor):
    grant_role_defaults(apps, ["auth", "staff", "company", "clients", "activity"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("staff", "0001_initial"),
        ("company", "0001_initial"),
        ("clients", "0002_initial"),
        ("activity", "0002_initial"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
