"""Indexes for every sort of the invoices list, for everyone and for an agent's own invoices,
and for the payments list sorted by amount (found slow by `manage.py bench` at 500,000
invoices). The status and number indexes now end with the id ascending: read forwards or
backwards they serve both directions of a sort, and still ?status=2 newest first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_defaults_and_roles")]

    operations = [
        migrations.RemoveIndex(model_name="invoice", name="invoice_status_idx"),
        migrations.RemoveIndex(model_name="invoice", name="invoice_agent_status_idx"),
        migrations.RemoveIndex(model_name="invoice", name="invoice_number_idx"),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["status", "id"], name="invoice_status_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["assigned_to", "status", "id"],
                               name="invoice_agent_status_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["assigned_to", "-date", "-id"],
                               name="invoice_agent_date_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["assigned_to", "-total", "-id"],
                               name="invoice_agent_total_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["due_date", "id"], name="invoice_due_date_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["assigned_to", "due_date", "id"],
                               name="invoice_agent_due_date_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["full_number", "id"], name="invoice_number_idx")),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["assigned_to", "full_number", "id"],
                               name="invoice_agent_number_idx")),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["-amount", "-id"], name="payment_amount_idx")),
    ]
