"""Settings shared by every environment; each value that differs per deployment comes
from the environment (see README, "Production")."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CRM_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    # kernel
    "crmconnect.core",
    "crmconnect.staff",
    "crmconnect.company",
    "crmconnect.clients",
    "crmconnect.activity",
    # domain apps, bottom layer first
    "leads",
    "sales",
    "billing",
    "commission",
    "goals",
    "efactura",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crmconnect.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crmconnect.urls"
WSGI_APPLICATION = "crmconnect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crmconnect.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'crmconnect.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "crm"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

AUTH_USER_MODEL = "staff.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per username and per address before a lock-out of LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
# Wrong client-portal links one address may try per minute before it gets 429.
PORTAL_MAX_FAILURES = int(os.environ.get("PORTAL_MAX_FAILURES", "20"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def email_settings(url):
    """Translate EMAIL_URL (smtp://user:pass@host:port?tls=1, smtps://…, console://) into
    Django's EMAIL_* settings. Mail always goes through CompanyEmailBackend, which prefers
    the SMTP server saved in Company settings and falls back to this one."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    fallback = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }.get(parts.scheme, "django.core.mail.backends.smtp.EmailBackend")
    return {
        "EMAIL_BACKEND": "crmconnect.company.mail.CompanyEmailBackend",
        "EMAIL_FALLBACK_BACKEND": fallback,
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls") in ("1", "true", "yes"),
    }


globals().update(email_settings(os.environ.get("EMAIL_URL", "smtp://localhost:25")))
# Without an EMAIL_URL (and no SMTP server in Company settings) mail to clients is refused
# with a message, not handed to a server nobody configured.
EMAIL_URL_GIVEN = "EMAIL_URL" in os.environ

# The payment gateway behind "Pay online" in the invoice portal (Stripe Checkout's API). Off
# while no secret key is set; PAYMENT_GATEWAY_URL points elsewhere only for a local stand-in.
PAYMENT_GATEWAY_URL = os.environ.get("PAYMENT_GATEWAY_URL", "https://api.stripe.com").rstrip("/")
PAYMENT_GATEWAY_SECRET_KEY = os.environ.get("PAYMENT_GATEWAY_SECRET_KEY", "")
PAYMENT_GATEWAY_WEBHOOK_SECRET = os.environ.get("PAYMENT_GATEWAY_WEBHOOK_SECRET", "")
# Where the gateway's hosted payment page lives: the invoice page's CSP form-action allows it,
# as browsers apply form-action to the redirect that follows the "Pay online" post.
PAYMENT_GATEWAY_CHECKOUT_ORIGIN = os.environ.get("PAYMENT_GATEWAY_CHECKOUT_ORIGIN",
                                                 "https://checkout.stripe.com").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CRMconnect <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 15

# Celery: Redis when REDIS_URL is set, else the filesystem broker under var/ (same code).
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE = {
    "send-task-reminders": {
        "task": "crmconnect.activity.tasks.send_due_reminders",
        "schedule": 60.0,
    },
    "check-contracts": {  # expiry, renewal tasks (each step once: safe to run again)
        "task": "sales.tasks.check_contracts",
        "schedule": crontab(hour=6, minute=0),
    },
    "mark-overdue-invoices": {  # Unpaid past the due date → Overdue (safe to run again)
        "task": "billing.tasks.mark_overdue_invoices",
        "schedule": crontab(hour=0, minute=10),
    },
}

# Security baseline (hardened further in production.py).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files attached to records (leads, emails logged on them, later documents).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "ppt", "pptx",
                         "txt", "csv", "rtf", "png", "jpg", "jpeg", "gif", "webp", "eml", "msg",
                         "zip"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
FORM_RENDERER = "crmconnect.core.forms.FormRenderer"
