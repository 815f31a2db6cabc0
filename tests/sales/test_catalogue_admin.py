"""Django's admin (/django-admin/) for every sales model: each list, add and change page opens,
and a proposal's status and lines cannot be edited there."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from ..factories import ProposalFactory

pytestmark = pytest.mark.django_db

# Document lines are shown inside their document (read only: totals are stored with them).
SALES_MODELS = sorted(model._meta.model_name for model in apps.get_app_config("sales").get_models()
                      if not model._meta.model_name.endswith("line"))


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_every_sales_model_is_registered():
    registered = {model._meta.model_name for model in admin.site._registry
                  if model._meta.app_label == "sales"}
    assert set(SALES_MODELS) <= registered


@pytest.mark.parametrize("model_name", SALES_MODELS)
def test_list_and_add_pages_open(admin_client, model_name):
    assert admin_client.get(reverse(f"admin:sales_{model_name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:sales_{model_name}_add")).status_code == 200


def test_a_proposal_page_shows_its_lines_read_only(admin_client):
    proposal = ProposalFactory()
    response = admin_client.get(reverse("admin:sales_proposal_change", args=[proposal.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Audit" in content and "Training" in content
    assert 'name="status"' not in content
    assert 'name="lines-0-unit_price"' not in content
