import pytest
from django.urls import reverse

from crmconnect.activity.models import Activity
from crmconnect.clients import services
from crmconnect.clients.events import client_created, client_updated
from crmconnect.clients.models import Client
from tests.factories import ClientFactory, ClientGroupFactory

from .conftest import client_form_data

pytestmark = pytest.mark.django_db
CREATE = reverse("clients:create")


def test_create_saves_client_logs_it_and_makes_creator_owner(admin_client, admin_user):
    group = ClientGroupFactory()
    response = admin_client.post(CREATE, client_form_data(group=group.pk, cui="ro 18547290"))

    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == client.get_absolute_url()
    assert client.name == "Transilvania Soft SRL"
    assert client.cui == "RO18547290"
    assert client.iban == "RO49AAAA1B31007593840000"
    assert client.group == group
    assert client.owner == admin_user
    assert client.created_by == admin_user
    activity = Activity.objects.get(event="client.created")
    assert activity.client == client
    assert activity.record == client
    assert activity.actor == admin_user


def test_create_keeps_chosen_owner(admin_client, manager):
    admin_client.post(CREATE, client_form_data(owner=manager.pk))
    assert Client.objects.get().owner == manager


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cui", "18547291", "The check digit of this CUI/CIF is wrong"),
    ("cui", "12AB", "Enter a valid Romanian CUI/CIF"),
    ("iban", "RO49AAAA1B31007593840001", "Enter a valid IBAN"),
    ("email", "office@@example", "Enter a valid email address."),
    ("reg_com", "X/1/2", "Enter the Trade Register number"),
])
def test_invalid_value_rerenders_form_with_input_and_field_message(admin_client, field, value,
                                                                   message):
    response = admin_client.post(CREATE, client_form_data(**{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    content = response.content.decode()
    assert f'value="{value}"' in content.replace("&#x27;", "'")
    assert 'value="Transilvania Soft SRL"' in content
    assert "is-invalid" in content
    assert not Client.objects.exists()


def test_duplicate_cui_is_a_field_error(admin_client):
    ClientFactory(cui="RO18547290")
    response = admin_client.post(CREATE, client_form_data(cui="RO18547290", name="Other SRL"))

    assert response.status_code == 200
    assert response.context["form"].errors["cui"] == ["A client with this CUI/CIF already exists."]
    assert Client.objects.count() == 1


def test_duplicate_cui_without_vat_prefix_is_a_field_error(admin_client):
    ClientFactory(cui="RO18547290")
    response = admin_client.post(CREATE, client_form_data(cui="18547290", vat_payer=None))

    assert "registered as RO18547290" in response.context["form"].errors["cui"][0]
    assert Client.objects.count() == 1


def test_vat_payer_needs_cui(admin_client):
    response = admin_client.post(CREATE, client_form_data(cui=""))
    assert response.context["form"].errors["cui"] == ["A VAT payer needs its CUI/CIF."]
    assert not Client.objects.exists()


def test_cnp_is_accepted_for_a_person_only(admin_client):
    data = client_form_data(cui="1800101221144", vat_payer=None, name="Ion Popescu")
    response = admin_client.post(CREATE, data)
    assert "identifies a person" in response.context["form"].errors["cui"][0]

    response = admin_client.post(CREATE, {**data, "kind": "person"})
    assert response.status_code == 302
    assert Client.objects.get().cui == "1800101221144"


def test_sector_only_for_bucharest(admin_client):
    response = admin_client.post(CREATE, client_form_data(sector="SECTOR1"))
    assert "only to Bucharest" in response.context["form"].errors["sector"][0]

    response = admin_client.post(CREATE, client_form_data(county="RO-B", city="București"))
    assert response.context["form"].errors["sector"] == ["Choose the Bucharest sector."]
    assert not Client.objects.exists()


def test_missing_name_message(admin_client):
    response = admin_client.post(CREATE, client_form_data(name=""))
    assert "company's legal name" in response.context["form"].errors["name"][0]


def test_edit_records_changed_fields(admin_client, admin_user):
    client = ClientFactory(name="Old Name SRL", city="Cluj-Napoca")
    response = admin_client.get(reverse("clients:edit", args=[client.pk]))
    assert response.status_code == 200

    data = client_form_data(name="New Name SRL", owner=admin_user.pk)
    response = admin_client.post(reverse("clients:edit", args=[client.pk]), data)

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.name == "New Name SRL"
    activity = Activity.objects.get(event="client.updated")
    assert activity.client == client
    assert activity.changes["name"] == ["Old Name SRL", "New Name SRL"]
    assert "city" not in activity.changes


def test_edit_keeps_own_cui(admin_client):
    client = ClientFactory(cui="RO18547290")
    response = admin_client.post(reverse("clients:edit", args=[client.pk]),
                                 client_form_data(cui="RO18547290"))
    assert response.status_code == 302


def test_own_scope_user_cannot_hand_client_over(login_as, agent, manager):
    client = login_as(agent)
    response = client.get(CREATE)
    assert "owner" not in response.context["form"].fields

    client.post(CREATE, client_form_data(owner=manager.pk))
    assert Client.objects.get().owner == agent


def test_create_needs_permission(login_as, make_user):
    client = login_as(make_user("Finance"))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, client_form_data()).status_code == 403
    assert not Client.objects.exists()


def test_edit_of_client_outside_scope_is_404(login_as, agent, manager):
    other = ClientFactory(owner=manager)
    client = login_as(agent)
    response = client.post(reverse("clients:edit", args=[other.pk]), client_form_data())
    assert response.status_code == 404


def test_events_are_sent_on_commit(admin_user, django_capture_on_commit_callbacks):
    received = []

    def listener(signal, sender, **kwargs):
        received.append((kwargs["client"].name, kwargs.get("changes")))

    client_created.connect(listener)
    client_updated.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client = services.client_create(actor=admin_user, name="Alfa SRL")
        assert received == []
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            services.client_update(actor=admin_user, client=client, name="Alfa Group SRL")
    finally:
        client_created.disconnect(listener)
        client_updated.disconnect(listener)
    assert received == [("Alfa SRL", None),
                        ("Alfa Group SRL", {"name": ["Alfa SRL", "Alfa Group SRL"]})]
