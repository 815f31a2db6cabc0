"""Contract types and statuses: the settings pages, who may change them, and the statuses that
must stay (in use, or the last of their kind)."""

import pytest

from crmconnect.activity.models import Activity
from sales.models import ContractStatus, ContractType

from ..forms import messages_of, rendered_form
from .test_contract_pages import make_contract

Kind = ContractStatus.Kind
TYPES, STATUSES = "/admin/contracts/types", "/admin/contracts/statuses"


def test_the_seeded_statuses_and_types_are_listed(login_as, manager):
    client = login_as(manager)
    html = client.get(STATUSES).content.decode()
    for name in ("Draft", "Active", "Expired", "Terminated"):
        assert f"{name}</td>" in html
    assert 'fill="#198754"' in html  # each status shows its colour
    assert "Software licence" in client.get(TYPES).content.decode()


def test_add_edit_and_delete_a_type(login_as, admin_user):
    client = login_as(admin_user)
    data = rendered_form(client.get(f"{TYPES}/add"))
    data.update(name="Lease")
    response = client.post(f"{TYPES}/add", data, follow=True)
    lease = ContractType.objects.get(name="Lease")
    assert response.redirect_chain == [(TYPES, 302)] and lease.active
    assert messages_of(response) == ["Contract type “Lease” added."]
    data = rendered_form(client.get(f"{TYPES}/{lease.pk}/edit"))
    data.pop("active")
    data.update(name="Equipment lease")
    client.post(f"{TYPES}/{lease.pk}/edit", data)
    lease.refresh_from_db()
    assert lease.name == "Equipment lease" and not lease.active
    assert Activity.objects.filter(event="contract_settings.updated").exists()
    client.post(f"{TYPES}/{lease.pk}/delete")
    assert not ContractType.objects.filter(pk=lease.pk).exists()


def test_an_inactive_type_is_not_offered_for_new_contracts(login_as, agent, admin_user):
    ContractType.objects.filter(name="Software licence").update(active=False)
    html = login_as(agent).get("/admin/contracts/add").content.decode()
    assert "Software licence" not in html and "Framework agreement" in html


def test_a_type_in_use_is_kept(login_as, admin_user, agent, account):
    licence = ContractType.objects.get(name="Software licence")
    make_contract(agent, account, contract_type=licence)
    response = login_as(admin_user).post(f"{TYPES}/{licence.pk}/delete", follow=True)
    assert "contracts use it; deactivate it instead" in messages_of(response)[0]
    assert ContractType.objects.filter(pk=licence.pk).exists()


def test_add_a_status_of_a_kind(login_as, manager):
    client = login_as(manager)
    data = rendered_form(client.get(f"{STATUSES}/add"))
    data.update(name="Suspended", kind="terminated", color="#000000", order="9")
    assert client.post(f"{STATUSES}/add", data).status_code == 302
    status = ContractStatus.objects.get(name="Suspended")
    assert status.kind == Kind.TERMINATED and status.color == "#000000"
    duplicate = client.post(f"{STATUSES}/add", data)
    assert duplicate.status_code == 200 and "already exists" in duplicate.content.decode()


def test_a_status_in_use_or_the_last_of_its_kind_is_kept(login_as, admin_user, agent,
                                                         account):
    client = login_as(admin_user)
    draft = ContractStatus.first_of(Kind.DRAFT)
    make_contract(agent, account)
    response = client.post(f"{STATUSES}/{draft.pk}/delete", follow=True)
    assert "contracts use it; move them to another status first" in messages_of(response)[0]
    terminated = ContractStatus.first_of(Kind.TERMINATED)
    response = client.post(f"{STATUSES}/{terminated.pk}/delete", follow=True)
    assert "it is the only terminated status" in messages_of(response)[0]
    assert ContractStatus.objects.filter(pk__in=[draft.pk, terminated.pk]).count() == 2
    spare = ContractStatus.objects.create(name="Cancelled", kind=Kind.TERMINATED)
    client.post(f"{STATUSES}/{spare.pk}/delete")
    assert not ContractStatus.objects.filter(pk=spare.pk).exists()


def test_the_kind_of_a_status_in_use_or_the_last_of_its_kind_stays(login_as, manager, agent,
                                                                    account):
    client = login_as(manager)
    draft = ContractStatus.first_of(Kind.DRAFT)
    make_contract(agent, account)
    data = rendered_form(client.get(f"{STATUSES}/{draft.pk}/edit"))
    data.update(kind="active")
    response = client.post(f"{STATUSES}/{draft.pk}/edit", data)
    assert "Contracts are in this status, so its kind stays" in response.content.decode()
    expired = ContractStatus.first_of(Kind.EXPIRED)
    data = rendered_form(client.get(f"{STATUSES}/{expired.pk}/edit"))
    data.update(kind="terminated")
    response = client.post(f"{STATUSES}/{expired.pk}/edit", data)
    assert "This is the only expired status" in response.content.decode()
    expired.refresh_from_db()
    assert expired.kind == Kind.EXPIRED


@pytest.mark.parametrize("url", [TYPES, STATUSES, f"{TYPES}/add", f"{STATUSES}/add"])
def test_agents_cannot_open_the_settings(login_as, agent, url):
    assert login_as(agent).get(url).status_code == 403


def test_sales_managers_change_but_do_not_delete(login_as, manager):
    status = ContractStatus.objects.create(name="On hold", kind=Kind.DRAFT)
    client = login_as(manager)
    html = client.get(STATUSES).content.decode()
    assert f"{STATUSES}/{status.pk}/edit" in html and f"{STATUSES}/{status.pk}/delete" not in html
    assert client.post(f"{STATUSES}/{status.pk}/delete").status_code == 403
    assert ContractStatus.objects.filter(pk=status.pk).exists()


def test_delete_is_post_only(login_as, admin_user):
    licence = ContractType.objects.get(name="Software licence")
    assert login_as(admin_user).get(f"{TYPES}/{licence.pk}/delete").status_code == 405
