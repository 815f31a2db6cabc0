"""Trigram indexes for text search on PostgreSQL, created by data migrations.

Searches match text anywhere (icontains) or from its start (istartswith); Django writes these as
UPPER(column::text) LIKE UPPER(%s), which a b-tree cannot serve. GIN trigram indexes on exactly
those expressions can, so a search reads the matching rows instead of the whole table. SQLite
has no equivalent (there the search stays a scan), so the indexes live only in the database,
not in the model state."""

from django.db import migrations


def trigram_indexes(table, columns, *, prefix):
    """A migration operation that creates (and on reverse drops) on PostgreSQL the indexes
    `<prefix>_<column>_trgm` of `table`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {prefix}_{column}_trgm ON {table} "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_{column}_trgm")

    return migrations.RunPython(create, drop)
