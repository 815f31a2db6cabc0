"""Trigram indexes for the lead search (list and header search) on PostgreSQL."""

from django.db import migrations

from crmconnect.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_list_sort_and_totals_indexes")]
    operations = [trigram_indexes("leads_lead", ["name", "company", "email"], prefix="lead")]
