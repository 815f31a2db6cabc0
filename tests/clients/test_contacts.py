import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from crmconnect.activity.models import Activity
from crmconnect.clients import services
from crmconnect.clients.models import Contact
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_contact(http, client, **data):
    return http.post(reverse("clients:contact_add", args=[client.pk]),
                     {"first_name": "Ana", "last_name": "Pop", "email": "ana@x.ro", **data})


def primaries(client):
    return list(client.contacts.filter(is_primary=True).values_list("first_name", flat=True))


def test_first_contact_becomes_primary(admin_client):
    client = ClientFactory()
    response = add_contact(admin_client, client)
    assert response.status_code == 302
    assert response["Location"] == f"{client.get_absolute_url()}#contacts"
    add_contact(admin_client, client, first_name="Bogdan")
    assert primaries(client) == ["Ana"]
    activity = Activity.objects.filter(event="contact.added").first()
    assert activity.client == client
    assert activity.record == client


def test_adding_a_primary_contact_replaces_the_old_one(admin_client):
    client = ClientFactory()
    add_contact(admin_client, client)
    add_contact(admin_client, client, first_name="Bogdan", is_primary="on")
    assert primaries(client) == ["Bogdan"]


def test_make_primary_switches(admin_client, admin_user):
    client = ClientFactory()
    first = services.contact_add(actor=admin_user, client=client, first_name="Ana")
    second = services.contact_add(actor=admin_user, client=client, first_name="Bogdan")

    response = admin_client.post(reverse("clients:contact_make_primary", args=[second.pk]))

    assert response.status_code == 302
    assert primaries(client) == ["Bogdan"]
    first.refresh_from_db()
    assert not first.is_primary
    activity = Activity.objects.get(event="contact.primary_changed")
    assert activity.changes == {"primary_contact": ["Ana", "Bogdan"]}
    assert admin_client.get(
        reverse("clients:contact_make_primary", args=[second.pk])).status_code == 405


def test_database_allows_one_primary_only():
    client = ClientFactory()
    ContactFactory(client=client, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(client=client, is_primary=True)


def test_removing_the_primary_contact_promotes_the_next(admin_client, admin_user):
    client = ClientFactory()
    first = services.contact_add(actor=admin_user, client=client, first_name="Ana")
    services.contact_add(actor=admin_user, client=client, first_name="Bogdan")

    response = admin_client.post(reverse("clients:contact_delete", args=[first.pk]))

    assert response.status_code == 302
    assert primaries(client) == ["Bogdan"]
    assert Activity.objects.filter(event="contact.removed", client=client).exists()


def test_edit_contact_records_changes(admin_client, admin_user):
    client = ClientFactory()
    contact = services.contact_add(actor=admin_user, client=client, first_name="Ana")
    url = reverse("clients:contact_edit", args=[contact.pk])
    assert "is_primary" not in admin_client.get(url).context["form"].fields

    response = admin_client.post(url, {"first_name": "Ana", "position": "CFO"})

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.position == "CFO"
    assert contact.is_primary
    activity = Activity.objects.get(event="contact.updated")
    assert activity.changes == {"position": ["", "CFO"]}


def test_invalid_contact_email_rerenders(admin_client):
    client = ClientFactory()
    response = add_contact(admin_client, client, email="not-an-email")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert 'value="not-an-email"' in response.content.decode()
    assert not Contact.objects.exists()


def test_contacts_of_invisible_client_are_404(login_as, agent):
    other = ContactFactory(client=ClientFactory(owner=UserFactory()))
    http = login_as(agent)
    assert http.get(reverse("clients:contact_edit", args=[other.pk])).status_code == 404
    assert http.post(reverse("clients:contact_delete", args=[other.pk])).status_code == 404
    assert add_contact(http, other.client).status_code == 404
    assert Contact.objects.count() == 1


def test_contacts_need_change_permission(login_as, make_user):
    contact = ContactFactory()
    http = login_as(make_user("SDR"))
    assert http.post(reverse("clients:contact_delete", args=[contact.pk])).status_code == 403
    assert Contact.objects.exists()


def test_detail_shows_contacts_and_tax_data(admin_client, admin_user):
    client = ClientFactory(name="Alfa SRL", cui="RO18547290", vat_payer=True,
                           iban="RO49AAAA1B31007593840000", reg_com="J12/1234/2005",
                           street="Str. Horea 1", postal_code="400001")
    services.contact_add(actor=admin_user, client=client, first_name="Ana", last_name="Pop")
    content = admin_client.get(client.get_absolute_url()).content.decode()
    assert "RO18547290" in content
    assert "RO49 AAAA 1B31 0075 9384 0000" in content
    assert "J12/1234/2005" in content
    assert "Str. Horea 1" in content
    assert "Cluj-Napoca, Cluj, 400001" in content
    assert "Ana Pop" in content
    assert reverse("clients:contact_add", args=[client.pk]) in content


def test_detail_query_count_is_constant(assert_constant_queries, admin_user):
    client = ClientFactory(owner=admin_user)
    services.contact_add(actor=admin_user, client=client, first_name="Ana")

    def add_rows():
        for index in range(10):
            services.contact_add(actor=admin_user, client=client, first_name=f"C{index}")
            services.client_update(actor=admin_user, client=client, phone=f"07{index}")

    assert_constant_queries(client.get_absolute_url(), add_rows, user=admin_user)


def test_detail_shows_registered_tabs_with_the_client_history(admin_client, admin_user):
    client = services.client_create(actor=admin_user, name="Alfa SRL")
    services.contact_add(actor=admin_user, client=client, first_name="Ana", last_name="Pop")
    content = admin_client.get(client.get_absolute_url()).content.decode()
    assert 'data-bs-target="#history"' in content
    assert "Client “Alfa SRL” created" in content
    assert "Contact Ana Pop added to “Alfa SRL” as primary contact" in content
