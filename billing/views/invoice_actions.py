# PLACEHOLDER: replaced by the real views
from django.http import Http404


def invoice_from_proposal(request, *args, **kwargs):
    raise Http404


def invoice_from_order(request, *args, **kwargs):
    raise Http404


def invoice_delete(request, *args, **kwargs):
    raise Http404


def invoice_issue(request, *args, **kwargs):
    raise Http404


def invoice_send(request, *args, **kwargs):
    raise Http404


def invoice_mark_sent(request, *args, **kwargs):
    raise Http404


def invoice_link(request, *args, **kwargs):
    raise Http404


def invoice_cancel(request, *args, **kwargs):
    raise Http404

