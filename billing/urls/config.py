from django.urls import path

from ..views import config as views

urlpatterns = [
    path("billing/config", views.billing_config, name="config"),
    path("billing/series/add", views.series_create, name="series_create"),
    path("billing/series/<int:pk>/edit", views.series_edit, name="series_edit"),
    path("billing/payment-modes", views.payment_mode_list, name="payment_modes"),
    path("billing/payment-modes/add", views.payment_mode_create, name="payment_mode_create"),
    path("billing/payment-modes/<int:pk>/edit", views.payment_mode_edit,
         name="payment_mode_edit"),
]
