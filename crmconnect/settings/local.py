"""`make run`: embedded SQLite, filesystem broker, debug pages, mail printed to the console
unless EMAIL_URL or the Company settings name an SMTP server."""

import os

os.environ.setdefault("EMAIL_URL", "console://")

from .base import *  # noqa: E402,F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
