"""The Django admin pages of the leads models open (an Administrator's fallback)."""

import pytest

from ..factories import LeadFactory


@pytest.mark.parametrize("path", ["leads/lead/", "leads/lead/{pk}/change/", "leads/pipeline/",
                                  "leads/interaction/", "leads/customfield/add/",
                                  "leads/leadsource/", "leads/lostreason/"])
def test_admin_pages(admin_client, admin_user, stages, path):
    admin_user.is_staff = True
    admin_user.save()
    lead = LeadFactory(status=stages[0])
    assert admin_client.get("/django-admin/" + path.format(pk=lead.pk)).status_code == 200
