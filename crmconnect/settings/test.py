"""`make test`: PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, else SQLite."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_FALLBACK_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_URL_GIVEN = True  # the locmem outbox stands for the deployment's mail server
CELERY_TASK_ALWAYS_EAGER = False
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
