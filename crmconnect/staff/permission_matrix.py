"""The permissions a role editor may grant, grouped by module and model for /admin/roles.

Django's own bookkeeping apps (admin log, content types, sessions) and the raw permission
table are left out: only the CRM's modules and the roles themselves are offered."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils.text import capfirst

HIDDEN_APPS = ["admin", "contenttypes", "sessions"]
# Django calls roles "groups"; the CRM calls them roles.
RENAMED = {"auth": "Roles", "auth.group": "Roles"}
COLUMNS = [
    ("view", "View"),
    ("view_all", "View all"),
    ("add", "Add"),
    ("change", "Change"),
    ("delete", "Delete"),
    ("export", "Export"),
]


def manageable_permissions():
    return (Permission.objects
            .exclude(content_type__app_label__in=HIDDEN_APPS)
            .exclude(content_type__app_label="auth", content_type__model="permission")
            .select_related("content_type")
            .order_by("content_type__app_label", "content_type__model", "codename"))


@dataclass
class Cell:
    permission: Permission
    label: str
    checked: bool


@dataclass
class ModelRow:
    label: str
    cells: list  # one per column: a Cell or None
    others: list = field(default_factory=list)  # custom permissions outside the columns


@dataclass
class Module:
    label: str
    rows: list = field(default_factory=list)


def _module_label(app_label):
    return RENAMED.get(app_label) or str(apps.get_app_config(app_label).verbose_name)


def _model_label(content_type):
    model = content_type.model_class()
    if model is None:
        return content_type.model
    return RENAMED.get(model._meta.label_lower) or capfirst(model._meta.verbose_name_plural)


def build_matrix(permissions, checked_ids):
    """[Module(label, rows=[ModelRow…])…] for `permissions` ordered by model, the modules in
    INSTALLED_APPS order (the kernel first, then the layers upwards)."""
    checked = {str(pk) for pk in checked_ids}
    modules = {}
    rows = {}
    for perm in permissions:
        content_type = perm.content_type
        label = content_type.app_label
        if label not in modules:
            modules[label] = Module(_module_label(label))
        if content_type.pk not in rows:
            rows[content_type.pk] = ModelRow(_model_label(content_type), [None] * len(COLUMNS))
            modules[label].rows.append(rows[content_type.pk])
        row = rows[content_type.pk]
        is_checked = str(perm.pk) in checked
        for index, (action, column) in enumerate(COLUMNS):
            if perm.codename == f"{action}_{content_type.model}":
                row.cells[index] = Cell(perm, f"{row.label}: {column}", is_checked)
                break
        else:
            row.others.append(Cell(perm, perm.name, is_checked))
    position = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return [modules[label] for label in sorted(modules, key=position.__getitem__)]
