"""The contract settings pages: contract types and contract statuses, each a list, a form
and a delete action."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import action_result, form_methods, form_page, posted

from ..forms.contracts import ContractStatusSettingsForm, ContractTypeForm
from ..models import ContractStatus, ContractType
from ..services import contract_settings as services


@dataclass(frozen=True)
class SettingKind:
    model: type
    form: type
    list_name: str  # URL names: sales:<list_name>, sales:<stem>_create / _edit / _delete
    stem: str
    title: str
    intro: str

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def noun_plural(self):
        return self.model._meta.verbose_name_plural

    @property
    def is_status(self):
        return self.model is ContractStatus

    def perm(self, action):
        return f"sales.{action}_{self.model._meta.model_name}"

    @property
    def create_name(self):
        return f"sales:{self.stem}_create"

    @property
    def edit_name(self):
        return f"sales:{self.stem}_edit"

    @property
    def delete_name(self):
        return f"sales:{self.stem}_delete"

    @property
    def list_url(self):
        return reverse(f"sales:{self.list_name}")


TYPES = SettingKind(ContractType, ContractTypeForm, "contract_types", "contract_type",
                    "Contract types", "Types sort contracts (support, licence, lease…).")
STATUSES = SettingKind(ContractStatus, ContractStatusSettingsForm, "contract_statuses",
                       "contract_status", "Contract statuses",
                       "Each status has a kind (draft, active, expired, terminated) that tells "
                       "the software what it means.")


def _setting_view(kind, action):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(kind.perm(action)):
                raise PermissionDenied
            return view(request, kind, *args, **kwargs)
        return wrapped
    return decorator


def _list(request, kind):
    return render(request, "sales/contracts/settings_list.html", {
        "kind": kind,
        "nav": [(other, other.list_url) for other in (TYPES, STATUSES)
                if request.user.has_perm(other.perm("view"))],
        "rows": kind.model.objects.all(),
        "can_add": request.user.has_perm(kind.perm("add")),
        "can_change": request.user.has_perm(kind.perm("change")),
        "can_delete": request.user.has_perm(kind.perm("delete")),
    })


def _form(request, kind, item):
    form = kind.form(posted(request), instance=item)

    def save(data):
        if item is None:
            saved = services.contract_setting_create(actor=request.user, model=kind.model,
                                                     **data)
            messages.success(request, f"{kind.noun.capitalize()} “{saved}” added.")
        else:
            saved = services.contract_setting_update(actor=request.user, item=item, **data)
            messages.success(request, f"{kind.noun.capitalize()} “{saved}” saved.")
        return redirect(kind.list_url)

    title = f"Edit {kind.noun} “{item}”" if item else f"Add {kind.noun}"
    return form_page(request, form, "sales/contracts/settings_form.html",
                     {"kind": kind, "title": title, "cancel_url": kind.list_url}, save)


def _delete(request, kind, pk):
    item = get_object_or_404(kind.model, pk=pk)
    return action_result(
        request, lambda: services.contract_setting_delete(actor=request.user, item=item),
        success=f"{kind.noun.capitalize()} “{item}” deleted.", redirect_to=kind.list_url)


def _create(request, kind):
    return _form(request, kind, None)


def _edit(request, kind, pk):
    return _form(request, kind, get_object_or_404(kind.model, pk=pk))


type_list = require_GET(_setting_view(TYPES, "view")(_list))
type_create = form_methods(_setting_view(TYPES, "add")(_create))
type_edit = form_methods(_setting_view(TYPES, "change")(_edit))
type_delete = require_POST(_setting_view(TYPES, "delete")(_delete))

status_list = require_GET(_setting_view(STATUSES, "view")(_list))
status_create = form_methods(_setting_view(STATUSES, "add")(_create))
status_edit = form_methods(_setting_view(STATUSES, "change")(_edit))
status_delete = require_POST(_setting_view(STATUSES, "delete")(_delete))
