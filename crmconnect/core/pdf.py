"""PDF rendering with WeasyPrint, shared by every document.

The URL fetcher serves only the project's own static files and inline `data:` images (a
drawn signature). Anything else — `file://` paths, http(s) hosts including 127.0.0.1 — is
refused, so text a user typed into a document (an `<img src="file:///etc/passwd">` that got
past the editor, a link to an internal service) cannot make the renderer read or request it."""

import mimetypes
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_BASE = "crmconnect-static:/"
DATA_MIME_TYPES = ("data:image/png;", "data:image/jpeg;", "data:image/svg+xml;")


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith(DATA_MIME_TYPES):
            return super().fetch(url, headers)
        if url.startswith(STATIC_BASE):
            return self._static(url[len(STATIC_BASE):])
        raise RefusedURL(f"not fetched: {url[:80]}")

    @staticmethod
    def _static(relative):
        relative = relative.split("?")[0].split("#")[0].lstrip("/")
        if relative.startswith(settings.STATIC_URL.strip("/") + "/"):
            relative = relative[len(settings.STATIC_URL.strip("/")) + 1:]
        if ".." in Path(relative).parts:
            raise RefusedURL("no parent paths")
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"no static file {relative}")
        mime_type, _ = mimetypes.guess_type(found)
        return URLFetcherResponse(url=STATIC_BASE + relative, body=Path(found).read_bytes(),
                                  headers={"Content-Type": mime_type or "application/octet-stream"})


@cache
def _font_config():
    return FontConfiguration()


def render_pdf(template, context):
    """The PDF (bytes) of an HTML template. Relative URLs resolve against the static files."""
    html = render_to_string(template, context)
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher(
        timeout=5, allowed_protocols=("data",))).write_pdf(font_config=_font_config())
