"""Trigram indexes for the client search on PostgreSQL.

The list search and the header search match `name` and `email` anywhere (icontains) and `cui`
from its start (istartswith); Django writes these as UPPER(column::text) LIKE UPPER(%s), which
a b-tree cannot serve. GIN trigram indexes on exactly those expressions can, so a search over
100,000 clients reads the matching rows instead of the whole table. SQLite has no equivalent:
there the search stays a scan. The indexes live only in the database (not in the model state)
because they exist only on PostgreSQL."""

from django.db import migrations

COLUMNS = ["name", "email", "cui"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS client_{column}_trgm ON clients_client "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS client_{column}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0003_alter_client_client_unique_cui"),
    ]

    operations = [migrations.RunPython(create, drop)]
