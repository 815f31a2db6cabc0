# PLACEHOLDER: replaced by the real views
from django.http import Http404


def invoice(request, *args, **kwargs):
    raise Http404


def invoice_pdf(request, *args, **kwargs):
    raise Http404


def invoice_pay(request, *args, **kwargs):
    raise Http404


def receipt_pdf(request, *args, **kwargs):
    raise Http404

