"""Calls from the payment gateway: public, without CSRF (the gateway has no session), trusted
only through the signature of the exact bytes it posted."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..gateway import SignatureError, verify_signature
from ..services.gateway import gateway_event_handle


@login_not_required
@csrf_exempt
@require_POST
def gateway_webhook(request):
    """400 for an unsigned or malformed event (nothing recorded); 200 once handled, also for
    a redelivery and for event types that need nothing, so the gateway stops sending them."""
    try:
        verify_signature(request.body, request.headers.get("Stripe-Signature", ""),
                         settings.PAYMENT_GATEWAY_WEBHOOK_SECRET)
        event = json.loads(request.body)
    except (SignatureError, ValueError):
        return HttpResponseBadRequest("Invalid payload or signature.")
    if not isinstance(event, dict) or not event.get("id"):
        return HttpResponseBadRequest("Not an event.")
    gateway_event_handle(event=event)
    return HttpResponse("OK", content_type="text/plain")
