import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    """The throttle counts failures in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
