# PLACEHOLDER: replaced by the real views
from django.http import Http404


def invoice_list(request, *args, **kwargs):
    raise Http404


def invoice_export(request, *args, **kwargs):
    raise Http404


def unpaid_export(request, *args, **kwargs):
    raise Http404


def invoice_create(request, *args, **kwargs):
    raise Http404


def invoice_detail(request, *args, **kwargs):
    raise Http404


def invoice_edit(request, *args, **kwargs):
    raise Http404


def invoice_pdf(request, *args, **kwargs):
    raise Http404

