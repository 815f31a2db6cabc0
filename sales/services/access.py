from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import can_proceed, has_transition_perm


def require(actor, permission):
    """PermissionDenied unless `actor` holds `permission`; None is the system (the portal, the
    payment gateway, a scheduled job), which needs none."""
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied


def for_change(model, actor, record, permission):
    """`record` re-read and locked, if the actor holds `permission` and has it in scope."""
    if not actor.has_perm(permission):
        raise PermissionDenied
    locked = (model.objects.visible_to(actor).select_for_update()
              .filter(pk=record.pk).first())
    if locked is None:
        raise PermissionDenied
    return locked


def transition(actor, record, method, noun):
    """Run an FSM transition of `record` after checking its state and, for a staff actor, the
    transition's permission (calling a transition does not check it)."""
    if not can_proceed(method):
        raise ValidationError(f"A {noun} that is {record.get_status_display()} cannot do that.")
    if actor is not None and not has_transition_perm(method, actor):
        raise PermissionDenied
    method()
