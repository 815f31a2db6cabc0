"""Links that give a client access to one document without logging in.

A link carries `secrets.token_urlsafe(32)` (256 bits from the CSPRNG). The database keeps only
the token's SHA-256, so a leaked database does not open any portal page; a lookup hashes the
presented token, finds the row by hash and compares with `hmac.compare_digest`. A wrong,
tampered or revoked token gets the same 404 as a missing one. Failed lookups are counted per
address and, past PORTAL_MAX_FAILURES a minute, answered 429 without touching the database."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import Http404

from crmconnect.staff.throttle import client_ip

TOKEN_BYTES = 32
FAILURE_WINDOW_SECONDS = 60


class TooManyLookups(Exception):
    pass


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    """(token, digest): the token goes into the link, only the digest is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def _failures_key(request):
    return f"portal-failures:{client_ip(request)}"


def find_by_token(request, queryset, token, *, field="token_hash"):
    """The row of `queryset` whose link carries `token`, else Http404 (TooManyLookups when
    this address keeps guessing)."""
    if cache.get(_failures_key(request), 0) >= settings.PORTAL_MAX_FAILURES:
        raise TooManyLookups
    digest = token_digest(token) if 20 <= len(token) <= 100 else ""
    found = queryset.filter(**{field: digest}).first() if digest else None
    if found is None or not hmac.compare_digest(getattr(found, field), digest):
        key = _failures_key(request)
        cache.add(key, 0, FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, FAILURE_WINDOW_SECONDS)
        raise Http404
    return found
