import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import CompanySettingsForm, TestEmailForm, VatRateForm
from .mail import send_test_email
from .models import CompanySettings, VatRate

CHANGE_SETTINGS = "company.change_companysettings"


def _settings_page(request, *, form=None, test_form=None):
    can_change = request.user.has_perm(CHANGE_SETTINGS)
    company = CompanySettings.load()
    if form is None:
        form = CompanySettingsForm(instance=company, read_only=not can_change)
    if test_form is None:
        test_form = TestEmailForm(initial={"to": request.user.email})
    return render(request, "company/settings.html", {
        "form": form, "test_form": test_form, "can_change": can_change, "company": company,
    })


@require_http_methods(["GET", "POST"])
@permission_required("company.view_companysettings", raise_exception=True)
def settings_view(request):
    if request.method == "GET":
        return _settings_page(request)
    if not request.user.has_perm(CHANGE_SETTINGS):
        raise PermissionDenied
    form = CompanySettingsForm(request.POST, instance=CompanySettings.load())
    if form.is_valid():
        services.company_settings_update(actor=request.user,
                                         ip_address=request.META.get("REMOTE_ADDR"),
                                         **form.values())
        messages.success(request, "Company settings saved.")
        return redirect("company:settings")
    messages.error(request, "The settings were not saved: please correct the fields marked "
                            "below.")
    return _settings_page(request, form=form)


@require_POST
@permission_required(CHANGE_SETTINGS, raise_exception=True)
def test_email(request):
    test_form = TestEmailForm(request.POST)
    if not test_form.is_valid():
        return _settings_page(request, test_form=test_form)
    if not CompanySettings.load().smtp_configured:
        messages.error(request, "SMTP is not configured: fill in the SMTP host first.")
        return redirect("company:settings")
    to = test_form.cleaned_data["to"]
    try:
        send_test_email(to)
    except (smtplib.SMTPException, OSError) as exc:
        messages.error(request, f"The test email to {to} could not be sent: {exc}")
    else:
        messages.success(request, f"Test email sent to {to}.")
    return redirect("company:settings")


@require_GET
@permission_required("company.view_vatrate", raise_exception=True)
def vat_rates(request):
    return render(request, "company/vat_rates.html", {"rates": VatRate.objects.all()})


def _vat_rate_form(request, rate=None):
    form = VatRateForm(request.POST if request.method == "POST" else None, instance=rate)
    if request.method == "POST" and form.is_valid():
        try:
            if rate is None:
                rate = services.vat_rate_create(actor=request.user, **form.cleaned_data)
            else:
                rate = services.vat_rate_update(actor=request.user, vat_rate=rate,
                                                **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"VAT rate {rate} saved.")
            return redirect("company:vat_rates")
    return render(request, "company/vat_rate_form.html", {"form": form, "rate": rate})


@require_http_methods(["GET", "POST"])
@permission_required("company.add_vatrate", raise_exception=True)
def vat_rate_add(request):
    return _vat_rate_form(request)


@require_http_methods(["GET", "POST"])
@permission_required("company.change_vatrate", raise_exception=True)
def vat_rate_edit(request, pk):
    return _vat_rate_form(request, get_object_or_404(VatRate, pk=pk))


@require_POST
@permission_required("company.delete_vatrate", raise_exception=True)
def vat_rate_delete(request, pk):
    rate = get_object_or_404(VatRate, pk=pk)
    try:
        services.vat_rate_delete(actor=request.user, vat_rate=rate)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"VAT rate {rate} deleted.")
    return redirect("company:vat_rates")
