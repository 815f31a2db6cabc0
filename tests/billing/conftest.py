from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from billing.models import PaymentMode
from billing.services.invoices import invoice_issue
from crmconnect.company.models import CompanySettings
from crmconnect.staff import roles

from ..factories import (
    ContactFactory,
    InvoiceFactory,
    TaxedClientFactory,
    role_group,
)


def seed_billing_defaults():
    """The numbering series and payment modes the migrations seed, again: a transactional
    test that ran before has emptied the tables. The roles first, with every app's
    permissions (the billing seed would make them with billing's only)."""
    role_group(roles.SALES_AGENT)
    import_module("billing.migrations.0002_defaults_and_roles").seed(apps, None)


@pytest.fixture(autouse=True)
def _billing_data(request):
    """For every test that uses the database: the issuing company's identity (issuing an
    invoice requires it) and, after a transactional test has emptied the tables, the rows
    the migrations seed (roles, series, payment modes)."""
    names = set(request.fixturenames)
    if not {"db", "transactional_db"} & names:
        return
    request.getfixturevalue("_django_db_helper")  # the database first, as the test has it
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get(
            "transaction")):
        ContentType.objects.clear_cache()
        seed_billing_defaults()
    company = CompanySettings.load()
    if not company.legal_name:
        company.legal_name, company.cui, company.reg_com = (
            "Azuvio Software SRL", "RO18547290", "J40/1234/2010")
        company.street, company.city, company.county, company.sector = (
            "Bd. Unirii 10", "București", "RO-B", "SECTOR3")
        company.bank_name, company.iban = "Banca Transilvania", "RO49AAAA1B31007593840000"
        company.save()


@pytest.fixture
def account(agent):
    """A client of the agent with complete tax data and a primary contact with an email."""
    client = TaxedClientFactory(owner=agent, name="Beta Logistics SRL")
    ContactFactory(client=client, first_name="Ioana", last_name="Marin", is_primary=True,
                   email="ioana@beta.example.com")
    return client


@pytest.fixture
def draft(agent, account):
    """A draft invoice of the agent, two lines (3 × 400.00 at 21 %, 199.99 at 11 %)."""
    return InvoiceFactory(client=account, assigned_to=agent, created_by=agent)


@pytest.fixture
def issued(draft, sales_admin):
    """The draft issued (numbered CRM000001 in a fresh database): Unpaid, not sent."""
    return invoice_issue(actor=sales_admin, invoice=draft)


@pytest.fixture
def bank_transfer(db):
    return PaymentMode.objects.get(kind=PaymentMode.Kind.BANK_TRANSFER)
