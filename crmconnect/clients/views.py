from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.navigation import client_tabs
from crmconnect.core.pages import form_methods, form_page, posted
from crmconnect.core.pagination import paginate

from . import queries, services
from .exports import CLIENTS
from .filters import ClientFilter
from .forms import ClientForm, ClientGroupForm, ContactForm
from .models import ClientGroup

PER_PAGE = 25
FILTER_IGNORED = {"page", "o"}


def _filtered(request):
    return ClientFilter(request.GET, queryset=queries.client_list(request.user),
                        request=request)


# --- clients -----------------------------------------------------------------------------

@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_list(request):
    filterset = _filtered(request)
    return render(request, "clients/list.html", {
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs, PER_PAGE),
        "filtered": any(value for key, value in request.GET.items()
                        if key not in FILTER_IGNORED),
    })


@require_GET
@permission_required("clients.export_client", raise_exception=True)
def client_export(request):
    response = CLIENTS.response(_filtered(request).qs, request.GET.get("format", "csv"))
    return response or HttpResponseBadRequest("Unknown export format: use csv or xlsx.")


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_detail(request, pk):
    client = get_object_or_404(queries.client_detail(request.user), pk=pk)
    return render(request, "clients/detail.html", {
        "client": client,
        "contacts": client.contacts.all(),
        "tabs": list(client_tabs.visible(request, client=client)),
    })


@form_methods
@permission_required("clients.add_client", raise_exception=True)
def client_create(request):
    def save(data):
        client = services.client_create(actor=request.user, **data)
        messages.success(request, f"Client “{client.name}” added.")
        return redirect(client)

    form = ClientForm(posted(request), user=request.user)
    return form_page(request, form, "clients/client_form.html",
                      {"cancel_url": reverse("clients:list")}, save)


@form_methods
@permission_required("clients.change_client", raise_exception=True)
def client_edit(request, pk):
    client = get_object_or_404(queries.client_list(request.user), pk=pk)

    def save(data):
        services.client_update(actor=request.user, client=client, **data)
        messages.success(request, f"Client “{data['name']}” saved.")
        return redirect(client)

    form = ClientForm(posted(request), instance=client, user=request.user)
    return form_page(request, form, "clients/client_form.html",
                      {"client": client, "cancel_url": client.get_absolute_url()}, save)


@require_POST
@permission_required("clients.delete_client", raise_exception=True)
def client_delete(request, pk):
    client = get_object_or_404(queries.client_list(request.user), pk=pk)
    try:
        services.client_delete(actor=request.user, client=client)
    except (ProtectedError, RestrictedError):
        messages.error(request, f"“{client.name}” has documents that refer to it, so it cannot "
                                "be deleted; mark it inactive instead.")
        return redirect(client)
    messages.success(request, f"Client “{client.name}” deleted.")
    return redirect("clients:list")


# --- contacts ----------------------------------------------------------------------------

def _contact(request, pk):
    return get_object_or_404(queries.contacts_visible_to(request.user), pk=pk)


def _contacts_tab(client):
    return f"{client.get_absolute_url()}#contacts"


@form_methods
@permission_required("clients.change_client", raise_exception=True)
def contact_add(request, pk):
    client = get_object_or_404(queries.client_list(request.user), pk=pk)

    def save(data):
        contact = services.contact_add(actor=request.user, client=client, **data)
        messages.success(request, f"Contact {contact} added.")
        return redirect(_contacts_tab(client))

    return form_page(request, ContactForm(posted(request)), "clients/object_form.html", {
        "client": client, "title": "Add contact", "cancel_url": _contacts_tab(client)}, save)


@form_methods
@permission_required("clients.change_client", raise_exception=True)
def contact_edit(request, pk):
    contact = _contact(request, pk)

    def save(data):
        services.contact_update(actor=request.user, contact=contact, **data)
        messages.success(request, f"Contact {contact} saved.")
        return redirect(_contacts_tab(contact.client))

    return form_page(
        request, ContactForm(posted(request), instance=contact), "clients/object_form.html",
        {"client": contact.client, "title": f"Edit contact {contact}",
         "cancel_url": _contacts_tab(contact.client)}, save)


@require_POST
@permission_required("clients.change_client", raise_exception=True)
def contact_delete(request, pk):
    contact = _contact(request, pk)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, f"Contact {contact} removed.")
    return redirect(_contacts_tab(contact.client))


@require_POST
@permission_required("clients.change_client", raise_exception=True)
def contact_make_primary(request, pk):
    contact = _contact(request, pk)
    services.contact_make_primary(actor=request.user, contact=contact)
    messages.success(request, f"{contact} is now the primary contact.")
    return redirect(_contacts_tab(contact.client))


# --- client groups -----------------------------------------------------------------------

@require_GET
@permission_required("clients.view_clientgroup", raise_exception=True)
def group_list(request):
    return render(request, "clients/group_list.html",
                  {"page_obj": paginate(request, queries.group_list(), PER_PAGE)})


def _groupform_page(request, group, title, save):
    form = ClientGroupForm(posted(request), instance=group)
    return form_page(request, form, "clients/object_form.html",
                      {"title": title, "cancel_url": reverse("clients:groups")}, save)


@form_methods
@permission_required("clients.add_clientgroup", raise_exception=True)
def group_add(request):
    def save(data):
        group = services.group_create(actor=request.user, **data)
        messages.success(request, f"Client group “{group.name}” added.")
        return redirect("clients:groups")

    return _groupform_page(request, None, "Add client group", save)


@form_methods
@permission_required("clients.change_clientgroup", raise_exception=True)
def group_edit(request, pk):
    group = get_object_or_404(ClientGroup, pk=pk)

    def save(data):
        services.group_update(actor=request.user, group=group, **data)
        messages.success(request, f"Client group “{data['name']}” saved.")
        return redirect("clients:groups")

    return _groupform_page(request, group, f"Edit client group {group.name}", save)


@require_POST
@permission_required("clients.delete_clientgroup", raise_exception=True)
def group_delete(request, pk):
    group = get_object_or_404(ClientGroup, pk=pk)
    services.group_delete(actor=request.user, group=group)
    messages.success(request, f"Client group “{group.name}” deleted; its clients have no "
                              "group now.")
    return redirect("clients:groups")
