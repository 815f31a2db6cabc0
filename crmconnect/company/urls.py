from django.urls import path

from . import views

app_name = "company"
urlpatterns = [
    path("settings", views.settings_view, name="settings"),
    path("settings/test-email", views.test_email, name="test_email"),
    path("settings/vat-rates", views.vat_rates, name="vat_rates"),
    path("settings/vat-rates/add", views.vat_rate_add, name="vat_rate_add"),
    path("settings/vat-rates/<int:pk>/edit", views.vat_rate_edit, name="vat_rate_edit"),
    path("settings/vat-rates/<int:pk>/delete", views.vat_rate_delete, name="vat_rate_delete"),
]
