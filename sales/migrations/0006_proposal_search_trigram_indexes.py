from django.db import migrations

from crmconnect.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("sales", "0005_contract_defaults_and_roles")]
    operations = [trigram_indexes("sales_proposal", ["subject", "recipient_name"],
                                  prefix="proposal")]
