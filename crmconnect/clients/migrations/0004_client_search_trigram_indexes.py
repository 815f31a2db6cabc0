"""Trigram indexes for the client search (name, email anywhere; CUI from its start) on
PostgreSQL; see crmconnect.core.trigram."""

from django.db import migrations

from crmconnect.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_alter_client_client_unique_cui")]
    operations = [trigram_indexes("clients_client", ["name", "email", "cui"], prefix="client")]
