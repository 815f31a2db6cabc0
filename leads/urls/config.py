from django.urls import path

from ..views import config as views

# The URL path of each kind of setting (views.KINDS names the pages).
PREFIXES = {
    "pipeline": "leads/pipelines",
    "status": "leads/statuses",
    "source": "leads/sources",
    "lost_reason": "leads/lost-reasons",
    "opportunity_status": "opportunities/statuses",
    "custom_field": "leads/custom-fields",
}

urlpatterns = [
    pattern
    for stem, kind in views.KINDS.items()
    for pattern in (
        path(PREFIXES[stem], views.config_list, {"kind": stem}, name=kind.list_name),
        path(f"{PREFIXES[stem]}/add", views.config_add, {"kind": stem}, name=f"{stem}_add"),
        path(f"{PREFIXES[stem]}/<int:pk>/edit", views.config_edit, {"kind": stem},
             name=f"{stem}_edit"),
        path(f"{PREFIXES[stem]}/<int:pk>/delete", views.config_delete, {"kind": stem},
             name=f"{stem}_delete"),
    )
]
