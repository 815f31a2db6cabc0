"""Record scope ("own" vs "all"), applied in one place per model through `visible_to(user)`.

A model opts in with the permissions `view_<model>` (own records) and `view_all_<model>`
(every record); a role holding neither sees nothing."""

from functools import reduce
from operator import or_

from django.db.models import Q


def scoped(queryset, user, *, owner_fields):
    opts = queryset.model._meta
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_perm(f"{opts.app_label}.view_all_{opts.model_name}"):
        return queryset
    if user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return queryset.filter(reduce(or_, (Q(**{field: user}) for field in owner_fields)))
    return queryset.none()
