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


def report_refusal(request, exc):
    """Tell the user which rule a service refused the action by (a ValidationError)."""
    messages.error(request, " ".join(exc.messages))


def portal_link_note(link):
    """A new client link, in the message shown once after it is made (only its hash is
    stored)."""
    return f"Client link: {link} — it is shown only this once; any earlier link stops working."


def action_result(request, action, *, success, redirect_to):
    """Run `action` (a service call); report `success` or the rule it refused, then redirect."""
    try:
        action()
    except ValidationError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, success)
    return redirect(redirect_to)


def form_errors_text(form):
    return " ".join(error for errors in form.errors.values() for error in errors)


def record_action(request, record, action, success, *, anchor=""):
    """Run `action()` (one service call) on a record's page; report `success(result)` or the
    rule it refused, then go back to the record (at `anchor`)."""
    try:
        result = action()
    except ValidationError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, success(result))
    return redirect(record.get_absolute_url() + anchor)


def record_form_action(request, record, form, action, success, *, anchor=""):
    """`record_action` with a small posted form (a reason, a date): `action(cleaned_data)`;
    an invalid form changes nothing and says why."""
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {form_errors_text(form)}")
        return redirect(record.get_absolute_url() + anchor)
    return record_action(request, record, lambda: action(form.cleaned_data), success,
                         anchor=anchor)
