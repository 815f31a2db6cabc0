import pytest
from django.test import RequestFactory

from crmconnect.clients.models import Client
from crmconnect.core.pagination import CappedPaginator, paginate

from ..factories import ClientFactory


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 5)


@pytest.mark.django_db
def test_exact_count_below_the_cap(small_cap):
    ClientFactory.create_batch(4)
    paginator = CappedPaginator(Client.objects.all(), 2)
    assert paginator.count == 4
    assert not paginator.capped
    assert paginator.num_pages == 2


@pytest.mark.django_db
def test_count_stops_at_the_cap_and_pages_past_it_still_open(small_cap):
    ClientFactory.create_batch(9)
    paginator = CappedPaginator(Client.objects.order_by("pk"), 2)
    assert paginator.capped
    assert paginator.count == 6  # cap + 1: "5+" results, never the full count
    page = paginator.get_page(4)
    assert [c.name for c in page] == [c.name for c in Client.objects.order_by("pk")[6:8]]


@pytest.mark.django_db
def test_paginate_keeps_the_other_query_parameters():
    ClientFactory.create_batch(3)
    request = RequestFactory().get("/admin/clients", {"county": "RO-CJ", "page": "2", "o": "name"})
    page = paginate(request, Client.objects.order_by("pk"), per_page=2)
    assert page.number == 2
    assert "page" not in page.querystring
    assert "county=RO-CJ" in page.querystring and "o=name" in page.querystring


@pytest.mark.django_db
def test_a_bad_page_number_falls_back_to_the_first_page():
    ClientFactory.create_batch(3)
    request = RequestFactory().get("/admin/clients", {"page": "abc"})
    assert paginate(request, Client.objects.order_by("pk"), per_page=2).number == 1


@pytest.mark.django_db
def test_past_the_cap_next_is_offered_while_rows_remain(small_cap):
    ClientFactory.create_batch(9)
    paginator = CappedPaginator(Client.objects.order_by("pk"), 2)
    assert paginator.get_page(4).has_next()
    assert not paginator.get_page(5).has_next()  # the ninth row alone


@pytest.mark.django_db
def test_a_list_may_count_less_than_the_default():
    ClientFactory.create_batch(4)
    request = RequestFactory().get("/admin/clients")
    page = paginate(request, Client.objects.order_by("pk"), per_page=2, count_cap=3)
    assert page.paginator.capped and page.paginator.count == 4
