import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def role(db):
    def get(name):
        return Group.objects.get(name=name)
    return get
