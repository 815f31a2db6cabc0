# PLACEHOLDER: replaced by the real views
from django.http import Http404


def gateway_webhook(request, *args, **kwargs):
    raise Http404

