from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from crmconnect.clients.models import Client
from crmconnect.core.pages import form_methods
from crmconnect.core.pagination import paginate

from . import attachments, queries, services
from .filters import ActivityFilter, TaskFilter
from .forms import TaskForm
from .models import Attachment, Task

TASKS_PER_PAGE = 25
NOTIFICATIONS_PER_PAGE = 25
ACTIVITY_PER_PAGE = 50


def _local_path(url):
    """`url` when it is a path on this site (never another host or scheme), else ""."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


def _next_url(request):
    return _local_path(request.POST.get("next") or request.GET.get("next", ""))


def _back(request, default="activity:tasks"):
    return redirect(_next_url(request) or reverse(default))


def _visible_task(request, pk):
    return get_object_or_404(Task.objects.visible_to(request.user), pk=pk)


# --- tasks ---------------------------------------------------------------------------------

@require_GET
@permission_required("activity.view_task", raise_exception=True)
def task_list(request):
    filterset = TaskFilter(request.GET, queryset=queries.task_rows(request.user),
                           user=request.user)
    return render(request, "activity/task_list.html", {
        "filterset": filterset,
        "page_obj": paginate(request, filterset.qs, TASKS_PER_PAGE),
        "list_url": request.get_full_path(),
    })


def _task_form_page(request, form, task=None):
    return render(request, "activity/task_form.html", {
        "form": form, "task": task, "next_url": _next_url(request),
        "back_url": _next_url(request) or reverse("activity:tasks"),
    })


def _linked_client(request):
    """The client named by ?client=<pk>, which the user must be able to see."""
    pk = request.GET.get("client", "")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404("No such client.")
    return get_object_or_404(Client.objects.visible_to(request.user), pk=pk)


@form_methods
@permission_required("activity.add_task", raise_exception=True)
def task_add(request):
    if request.method == "POST":
        form = TaskForm(request.POST, user=request.user)
        if form.is_valid():
            task = services.task_create(actor=request.user, **form.cleaned_data)
            messages.success(request, f"Task “{task.title}” created.")
            return _back(request)
    else:
        form = TaskForm(user=request.user,
                        initial={"assignee": request.user, "client": _linked_client(request)})
    return _task_form_page(request, form)


@form_methods
@permission_required("activity.change_task", raise_exception=True)
def task_edit(request, pk):
    task = _visible_task(request, pk)
    if request.method == "POST":
        form = TaskForm(request.POST, instance=task, user=request.user)
        if form.is_valid():
            services.task_update(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, f"Task “{form.cleaned_data['title']}” saved.")
            return _back(request)
    else:
        form = TaskForm(instance=task, user=request.user)
    return _task_form_page(request, form, task)


@require_POST
@permission_required("activity.change_task", raise_exception=True)
def task_done(request, pk):
    task = _visible_task(request, pk)
    done = request.POST.get("done", "0" if task.is_done else "1") == "1"
    task = services.task_set_done(actor=request.user, task=task, done=done)
    if request.htmx:
        return render(request, "activity/_task_row.html", {
            "task": queries.task_rows(request.user).get(pk=task.pk),
            "list_url": _next_url(request),
        })
    messages.success(request, f"Task “{task.title}” {'marked done' if done else 'reopened'}.")
    return _back(request)


@require_POST
@permission_required("activity.delete_task", raise_exception=True)
def task_delete(request, pk):
    task = _visible_task(request, pk)
    services.task_delete(actor=request.user, task=task)
    messages.success(request, f"Task “{task.title}” deleted.")
    return _back(request)


# --- notifications -------------------------------------------------------------------------

@require_GET
def notification_list(request):
    return render(request, "activity/notification_list.html", {
        "page_obj": paginate(request, queries.notifications_for(request.user),
                             NOTIFICATIONS_PER_PAGE),
    })


@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(_local_path(notification.url) or reverse("activity:notifications"))


@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("activity:notifications")


# --- activity log --------------------------------------------------------------------------

@require_GET
@permission_required("activity.view_activity", raise_exception=True)
def activity_log(request):
    filterset = ActivityFilter(request.GET, queryset=queries.activity_rows())
    return render(request, "activity/activity_log.html", {
        "filterset": filterset,
        "page_obj": paginate(request, filterset.qs, ACTIVITY_PER_PAGE),
    })


# --- attachments ---------------------------------------------------------------------------

@require_GET
def attachment_download(request, pk):
    """A stored file, for a user who can see the record it is attached to (else 404). Always
    a download, never rendered by the browser as a page of this site."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not attachments.attachment_visible(request.user, attachment):
        raise Http404("No such file.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer stored.") from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachments.served_content_type(attachment))
    response["X-Content-Type-Options"] = "nosniff"
    return response
