# CRMconnect production image: gunicorn serves the site, the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=crmconnect.settings.production \
    CRM_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# Pango and fonts for WeasyPrint's PDFs; HarfBuzz's subsetter keeps embedding fonts fast.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are collected at build time; the key only satisfies the settings check.
RUN SECRET_KEY=collectstatic-only-build-time-key-not-used-at-run-time-0123456789 \
    python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin crm \
    && mkdir -p /app/var/media /app/var/beat \
    && chown -R crm:crm /app/var

USER crm
EXPOSE 8000

CMD ["gunicorn", "crmconnect.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
