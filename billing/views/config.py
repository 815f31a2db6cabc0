"""Billing configuration (/admin/billing/config): the billing settings and the numbering
series; the payment modes have their own list."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from crmconnect.core.pages import form_methods, form_page, posted

from ..forms.config import BillingSettingsForm, PaymentModeForm, SeriesForm
from ..models import BillingSettings, PaymentMode, Series
from ..services import config as services

CHANGE_SETTINGS = "billing.change_billingsettings"
CONFIG_PERMISSIONS = ("billing.view_series", "billing.view_billingsettings", CHANGE_SETTINGS)
FORM_TEMPLATE = "billing/config/form.html"


@form_methods
def billing_config(request):
    """The settings form (read-only without the change permission) and the series table,
    each shown to whom may see it; a POST saves the settings."""
    user = request.user
    if not any(user.has_perm(permission) for permission in CONFIG_PERMISSIONS):
        raise PermissionDenied
    can_change = user.has_perm(CHANGE_SETTINGS)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    show_settings = can_change or user.has_perm("billing.view_billingsettings")
    form = BillingSettingsForm(posted(request), instance=BillingSettings.load(),
                               read_only=not can_change) if show_settings else None

    def save(data):
        services.billing_settings_update(actor=user, **data)
        messages.success(request, "Billing settings saved.")
        return redirect("billing:config")

    return form_page(request, form, "billing/config/config.html", {
        "can_change": can_change,
        "series_rows": Series.objects.all() if user.has_perm("billing.view_series") else None,
    }, save)


def _series_form(request, series=None):
    form = SeriesForm(posted(request), instance=series)

    def save(data):
        if series is None:
            saved = services.series_create(actor=request.user, **data)
        else:
            saved = services.series_update(actor=request.user, series=series, **data)
        messages.success(request, f"Series {saved} saved: the next number is {saved.preview}.")
        return redirect("billing:config")

    title = (f"Edit {series.get_document_type_display().lower()} series {series}" if series
             else "Add numbering series")
    return form_page(request, form, FORM_TEMPLATE, {
        "title": title, "cancel_url": reverse("billing:config"),
        "section": "Billing configuration"}, save)


@form_methods
@permission_required("billing.add_series", raise_exception=True)
def series_create(request):
    return _series_form(request)


@form_methods
@permission_required("billing.change_series", raise_exception=True)
def series_edit(request, pk):
    return _series_form(request, get_object_or_404(Series, pk=pk))


@require_GET
@permission_required("billing.view_paymentmode", raise_exception=True)
def payment_mode_list(request):
    return render(request, "billing/config/payment_modes.html",
                  {"modes": PaymentMode.objects.all()})


def _mode_form(request, mode=None):
    form = PaymentModeForm(posted(request), instance=mode)

    def save(data):
        if mode is None:
            saved = services.payment_mode_create(actor=request.user, **data)
        else:
            saved = services.payment_mode_update(actor=request.user, mode=mode, **data)
        messages.success(request, f"Payment mode {saved} saved.")
        return redirect("billing:payment_modes")

    return form_page(request, form, FORM_TEMPLATE, {
        "title": f"Edit payment mode {mode}" if mode else "Add payment mode",
        "cancel_url": reverse("billing:payment_modes"), "section": "Payment modes"}, save)


@form_methods
@permission_required("billing.add_paymentmode", raise_exception=True)
def payment_mode_create(request):
    return _mode_form(request)


@form_methods
@permission_required("billing.change_paymentmode", raise_exception=True)
def payment_mode_edit(request, pk):
    return _mode_form(request, get_object_or_404(PaymentMode, pk=pk))
