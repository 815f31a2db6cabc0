from decimal import Decimal

import pytest

from crmconnect.activity.models import Activity
from crmconnect.company.models import VatRate
from crmconnect.staff import roles

LIST_URL = "/admin/settings/vat-rates"
ADD_URL = "/admin/settings/vat-rates/add"


def rate(value):
    return VatRate.objects.get(rate=Decimal(value))


def edit_url(vat_rate):
    return f"/admin/settings/vat-rates/{vat_rate.pk}/edit"


def form_data(vat_rate, **overrides):
    data = {"name": vat_rate.name, "rate": str(vat_rate.rate), "category": vat_rate.category,
            "ordering": vat_rate.ordering}
    if vat_rate.is_default:
        data["is_default"] = "on"
    if vat_rate.active:
        data["active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_seeded_rates_with_21_as_default(admin_client):
    assert sorted(VatRate.objects.values_list("rate", flat=True)) == [
        Decimal("0"), Decimal("11"), Decimal("21")]
    assert list(VatRate.objects.filter(is_default=True)) == [rate("21")]
    page = admin_client.get(LIST_URL).content.decode()
    assert "21 %" in page and "11 %" in page and "0 %" in page


def test_add_a_rate(admin_client):
    response = admin_client.post(ADD_URL, {"name": "Reduced (housing)", "rate": "5",
                                           "category": "S", "active": "on", "ordering": "3"})
    assert response.status_code == 302
    added = rate("5")
    assert added.name == "Reduced (housing)" and not added.is_default
    assert Activity.objects.filter(event="vat_rate.created", object_id=added.pk).exists()


def test_a_duplicate_rate_is_refused_on_the_form(admin_client):
    response = admin_client.post(ADD_URL, {"name": "Again", "rate": "21", "category": "S",
                                           "active": "on", "ordering": "9"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert VatRate.objects.count() == 3


def test_a_rate_over_100_is_refused(admin_client):
    response = admin_client.post(ADD_URL, {"name": "Too much", "rate": "121", "category": "S",
                                           "ordering": "9"})
    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert VatRate.objects.count() == 3


def test_edit_a_rate(admin_client):
    reduced = rate("11")
    response = admin_client.post(edit_url(reduced), form_data(reduced, name="Reduced rate"))
    assert response.status_code == 302
    reduced.refresh_from_db()
    assert reduced.name == "Reduced rate"
    activity = Activity.objects.get(event="vat_rate.updated")
    assert activity.changes == {"name": ["Reduced", "Reduced rate"]}


def test_a_new_default_replaces_the_old_one(admin_client):
    reduced = rate("11")
    response = admin_client.post(edit_url(reduced), form_data(reduced, is_default="on"))
    assert response.status_code == 302
    assert list(VatRate.objects.filter(is_default=True)) == [reduced]


def test_a_new_rate_can_become_the_default(admin_client):
    admin_client.post(ADD_URL, {"name": "Future standard", "rate": "23", "category": "S",
                                "is_default": "on", "active": "on", "ordering": "0"})
    assert list(VatRate.objects.filter(is_default=True)) == [rate("23")]


def test_the_default_cannot_be_unset_without_a_replacement(admin_client):
    standard = rate("21")
    response = admin_client.post(edit_url(standard), form_data(standard, is_default=None))
    assert response.status_code == 200
    assert "There must be a default rate" in response.content.decode()
    standard.refresh_from_db()
    assert standard.is_default


def test_the_default_must_stay_active(admin_client):
    standard = rate("21")
    response = admin_client.post(edit_url(standard), form_data(standard, active=None))
    assert "The default rate must be active." in response.content.decode()
    standard.refresh_from_db()
    assert standard.active


def test_deleting_the_default_is_refused(admin_client):
    standard = rate("21")
    response = admin_client.post(f"{LIST_URL}/{standard.pk}/delete", follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["The default VAT rate cannot be deleted: make another rate the "
                        "default first."]
    assert VatRate.objects.filter(pk=standard.pk).exists()


def test_delete_a_rate(admin_client):
    zero = rate("0")
    assert admin_client.get(f"{LIST_URL}/{zero.pk}/delete").status_code == 405
    response = admin_client.post(f"{LIST_URL}/{zero.pk}/delete")
    assert response.status_code == 302
    assert not VatRate.objects.filter(pk=zero.pk).exists()
    assert Activity.objects.filter(event="vat_rate.deleted").exists()


@pytest.mark.parametrize("url", [LIST_URL, ADD_URL])
def test_sales_agent_is_refused_vat_rates(login_as, make_user, url):
    client = login_as(make_user(roles.SALES_AGENT))
    assert client.get(url).status_code == 403


def test_a_viewer_cannot_change_rates(login_as, make_user):
    client = login_as(make_user(roles.SALES_ADMIN))
    assert client.get(LIST_URL).status_code == 200
    reduced = rate("11")
    assert client.post(edit_url(reduced), form_data(reduced, name="X")).status_code == 403
    assert client.post(f"{LIST_URL}/{reduced.pk}/delete").status_code == 403
    assert VatRate.objects.filter(pk=reduced.pk, name="Reduced").exists()
