import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.pages import action_result, form_methods, form_page, posted

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


@form_methods
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
    def on_valid(data):
        if rate is None:
            saved = services.vat_rate_create(actor=request.user, **data)
        else:
            saved = services.vat_rate_update(actor=request.user, vat_rate=rate, **data)
        messages.success(request, f"VAT rate {saved} saved.")
        return redirect("company:vat_rates")

    return form_page(request, VatRateForm(posted(request), instance=rate),
                     "company/vat_rate_form.html", {"rate": rate}, on_valid)


@form_methods
@permission_required("company.add_vatrate", raise_exception=True)
def vat_rate_add(request):
    return _vat_rate_form(request)


@form_methods
@permission_required("company.change_vatrate", raise_exception=True)
def vat_rate_edit(request, pk):
    return _vat_rate_form(request, get_object_or_404(VatRate, pk=pk))


@require_POST
@permission_required("company.delete_vatrate", raise_exception=True)
def vat_rate_delete(request, pk):
    rate = get_object_or_404(VatRate, pk=pk)
    return action_result(request, lambda: services.vat_rate_delete(actor=request.user,
                                                                    vat_rate=rate),
                         success=f"VAT rate {rate} deleted.", redirect_to="company:vat_rates")
