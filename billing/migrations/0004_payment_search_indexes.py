"""The payments search: a receipt number found by its index, a transaction reference anywhere
by a trigram index on PostgreSQL (see crmconnect.core.trigram)."""

from django.db import migrations, models

from crmconnect.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_list_sort_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["receipt_number"], name="payment_receipt_idx")),
        trigram_indexes("billing_payment", ["transaction_reference"], prefix="payment"),
    ]
