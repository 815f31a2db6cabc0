from django import template

from ..services.portal import accept_refusal as refusal

register = template.Library()


@register.filter
def accept_refusal(proposal):
    """Why the client cannot accept `proposal` now, or None (the portal and its preview)."""
    return refusal(proposal)
