"""Login throttling: after LOGIN_MAX_FAILURES failed attempts for one username or from one
address, further attempts are refused for LOGIN_LOCKOUT_SECONDS (counted in the cache, so
it holds across processes when Redis is configured)."""

from django.conf import settings
from django.core.cache import cache


def _keys(username, ip):
    return [f"login-fail:user:{(username or '').strip().lower()}", f"login-fail:ip:{ip}"]


def is_locked(username, ip):
    counts = cache.get_many(_keys(username, ip))
    return any(count >= settings.LOGIN_MAX_FAILURES for count in counts.values())


def record_failure(username, ip):
    for key in _keys(username, ip):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear(username, ip):
    cache.delete(_keys(username, ip)[0])


def client_ip(request):
    """The visitor's address. Behind TRUSTED_PROXIES reverse proxies, REMOTE_ADDR is the
    nearest proxy's, so the address is the one the outermost trusted proxy saw, read from
    the right of X-Forwarded-For (the entries to its left are the client's to forge)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
