"""Django's admin (/django-admin/) for billing: every list opens for a superuser; invoices and
payments are shown with their numbers, statuses and amounts read only and cannot be added or
deleted there; a series' counter is fixed once the series exists."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from billing.models import BillingSettings, GatewayCheckout, GatewayEvent, Series
from billing.services.invoices import invoice_issue
from billing.services.payments import payment_record

pytestmark = pytest.mark.django_db

# Lines and allocations are shown inside their invoice and payment.
BILLING_MODELS = sorted(model._meta.model_name
                        for model in apps.get_app_config("billing").get_models()
                        if model._meta.model_name not in ("invoiceline", "paymentallocation"))


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def paid(sales_admin, draft, bank_transfer):
    """An issued invoice with a payment of 100.00 on it, a checkout, a gateway event and the
    billing settings: a row for every list."""
    BillingSettings.load()
    invoice = invoice_issue(actor=sales_admin, invoice=draft)
    payment = payment_record(actor=sales_admin, invoice=invoice, amount=Decimal("100.00"),
                             mode=bank_transfer, transaction_reference="OP-5531")
    GatewayCheckout.objects.create(invoice=invoice, session_id="cs_test_admin",
                                   amount=invoice.balance, currency="RON")
    GatewayEvent.objects.create(event_id="evt_test_admin", type="checkout.session.completed")
    return invoice, payment


def test_every_billing_model_is_registered():
    registered = {model._meta.model_name for model in admin.site._registry
                  if model._meta.app_label == "billing"}
    assert set(BILLING_MODELS) == registered


@pytest.mark.parametrize("model_name", BILLING_MODELS)
def test_every_list_opens(superuser_client, paid, model_name):
    response = superuser_client.get(reverse(f"admin:billing_{model_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_an_invoice_is_shown_read_only_with_its_lines_and_payments(superuser_client, paid):
    invoice, payment = paid
    url = reverse("admin:billing_invoice_change", args=[invoice.pk])
    content = superuser_client.get(url).content.decode()
    assert "CRM000001" in content and "Implementation" in content and "Licence" in content
    assert "CHT000001" in content
    for field in ("status", "full_number", "total", "amount_paid", "lines-0-unit_price"):
        assert f'name="{field}"' not in content
    assert 'name="notes"' in content
    assert superuser_client.get(reverse("admin:billing_invoice_add")).status_code == 403
    delete = reverse("admin:billing_invoice_delete", args=[invoice.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = superuser_client.get(reverse("admin:billing_invoice_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")


def test_a_payment_shows_its_amounts_read_only(superuser_client, paid):
    _, payment = paid
    url = reverse("admin:billing_payment_change", args=[payment.pk])
    content = superuser_client.get(url).content.decode()
    assert "OP-5531" in content and "CRM000001" in content
    assert 'name="amount"' not in content and 'name="transaction_reference"' in content
    assert superuser_client.get(reverse("admin:billing_payment_add")).status_code == 403


def test_a_series_counter_is_set_only_when_the_series_is_made(superuser_client):
    series = Series.objects.get(prefix="CRM")
    change = superuser_client.get(reverse("admin:billing_series_change", args=[series.pk]))
    assert 'name="next_number"' not in change.content.decode()
    add = superuser_client.get(reverse("admin:billing_series_add"))
    assert 'name="next_number"' in add.content.decode()


def test_billing_settings_are_one_row(superuser_client):
    assert superuser_client.get(reverse("admin:billing_billingsettings_add")).status_code == 200
    BillingSettings.load()
    assert superuser_client.get(reverse("admin:billing_billingsettings_add")).status_code == 403
