# PLACEHOLDER: replaced by the real views
from django.http import Http404


def billing_config(request, *args, **kwargs):
    raise Http404


def series_create(request, *args, **kwargs):
    raise Http404


def series_edit(request, *args, **kwargs):
    raise Http404


def payment_mode_list(request, *args, **kwargs):
    raise Http404


def payment_mode_create(request, *args, **kwargs):
    raise Http404


def payment_mode_edit(request, *args, **kwargs):
    raise Http404

