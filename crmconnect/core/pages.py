"""The request/response steps shared by the staff pages' views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

form_methods = require_http_methods(["GET", "POST"])


def posted(request):
    """The submitted data of a POST, None for a GET: a form is bound only when submitted."""
    return request.POST if request.method == "POST" else None


def form_page(request, form, template, context, on_valid):
    """Show `form`; a valid POST returns `on_valid(cleaned_data)` (one service call, then a
    redirect). A rule the service refuses (ValidationError) shows on the form like a field
    error, and an invalid form shows again with the user's input."""
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form.cleaned_data)
        except ValidationError as exc:
            _add_service_error(form, exc)
    return render(request, template, {"form": form, **context})


def _add_service_error(form, error):
    """Field errors land on their field when the form shows it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def action_result(request, action, *, success, redirect_to):
    """Run `action` (a service call); report `success` or the rule it refused, then redirect."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(redirect_to)
