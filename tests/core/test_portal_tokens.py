"""Portal link tokens: random, stored only as a hash, compared in constant time, and lookups
rate limited per address."""

import hashlib

import pytest
from django.http import Http404
from django.test import RequestFactory

from crmconnect.core.portal import TooManyLookups, find_by_token, new_token, token_digest
from sales.models import Proposal
from tests.factories import ProposalFactory


def request_from(ip):
    return RequestFactory().get("/p/x/", REMOTE_ADDR=ip)


@pytest.fixture
def linked(db):
    """(proposal, token) with only the token's digest stored."""
    token, digest = new_token()
    proposal = ProposalFactory(token_hash=digest)
    return proposal, token


def test_tokens_are_long_random_and_stored_only_as_their_sha256():
    tokens = {new_token()[0] for _ in range(200)}
    assert len(tokens) == 200
    token, digest = new_token()
    assert len(token) >= 43  # 32 bytes, base64url
    assert digest == hashlib.sha256(token.encode()).hexdigest() == token_digest(token)
    assert token not in digest


def test_the_right_token_finds_its_row(linked):
    proposal, token = linked
    assert find_by_token(request_from("10.0.0.1"), Proposal.objects.all(), token) == proposal
    assert Proposal.objects.filter(token_hash=token).count() == 0  # the token itself is not kept


@pytest.mark.parametrize("wrong", ["", "short", "x" * 19, "x" * 101])
def test_malformed_tokens_get_404_without_a_query(linked, wrong, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(Http404):
        find_by_token(request_from("10.0.0.1"), Proposal.objects.all(), wrong)


def test_a_tampered_token_or_the_stored_digest_itself_gets_404(linked):
    proposal, token = linked
    for wrong in (token[:-2] + "zz", token.swapcase(), proposal.token_hash):
        with pytest.raises(Http404):
            find_by_token(request_from("10.0.0.1"), Proposal.objects.all(), wrong)


def test_failures_are_counted_per_address(linked, settings, django_assert_num_queries):
    _, token = linked
    settings.PORTAL_MAX_FAILURES = 3
    guesser = request_from("10.0.0.66")
    for _ in range(3):
        with pytest.raises(Http404):
            find_by_token(guesser, Proposal.objects.all(), "g" * 43)
    with django_assert_num_queries(0), pytest.raises(TooManyLookups):
        find_by_token(guesser, Proposal.objects.all(), token)
    assert find_by_token(request_from("10.0.0.7"), Proposal.objects.all(), token)


def test_behind_a_proxy_the_forwarded_address_is_counted(linked, settings):
    _, token = linked
    settings.PORTAL_MAX_FAILURES, settings.TRUSTED_PROXIES = 2, 1
    for client_address in ("192.0.2.1", "192.0.2.1"):
        request = RequestFactory().get("/p/x/", REMOTE_ADDR="10.0.0.2",
                                       HTTP_X_FORWARDED_FOR=client_address)
        with pytest.raises(Http404):
            find_by_token(request, Proposal.objects.all(), "g" * 43)
    other_client = RequestFactory().get("/p/x/", REMOTE_ADDR="10.0.0.2",
                                        HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert find_by_token(other_client, Proposal.objects.all(), token)
