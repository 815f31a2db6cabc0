# PLACEHOLDER: replaced by the real views
from django.http import Http404


def payment_list(request, *args, **kwargs):
    raise Http404


def payment_export(request, *args, **kwargs):
    raise Http404


def payment_create(request, *args, **kwargs):
    raise Http404


def payment_detail(request, *args, **kwargs):
    raise Http404


def payment_receipt(request, *args, **kwargs):
    raise Http404


def payment_void(request, *args, **kwargs):
    raise Http404


def invoice_payment(request, *args, **kwargs):
    raise Http404


def invoice_apply_credit(request, *args, **kwargs):
    raise Http404

