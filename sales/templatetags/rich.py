"""Rich text (a cover letter, terms) shown to clients and printed into PDFs.

The services store it cleaned; it passes through the sanitizer again when rendered, so a row
written by an older version, an import or by hand cannot put markup into a page or a PDF."""

from django import template
from django.utils.safestring import mark_safe

from crmconnect.core.richtext import clean_html

register = template.Library()


@register.filter
def rich(value):
    return mark_safe(clean_html(value))  # noqa: S308 (the allowlist sanitizer's output)
