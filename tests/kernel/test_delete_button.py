from crmconnect.company.models import VatRate
from leads.models import LeadSource


def test_a_rows_delete_button_asks_with_the_rows_name(admin_client):
    rate = VatRate.objects.get(rate=11)
    page = admin_client.get("/admin/settings/vat-rates").content.decode()
    assert f'action="/admin/settings/vat-rates/{rate.pk}/delete"' in page
    assert f'data-confirm="Delete the VAT rate {rate}?"' in page


def test_the_lead_settings_pages_use_it_too(admin_client):
    source = LeadSource.objects.get(name="Referral")
    page = admin_client.get("/admin/leads/sources").content.decode()
    assert f'action="/admin/leads/sources/{source.pk}/delete"' in page
    assert "“Referral”?" in page
