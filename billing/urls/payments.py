from django.urls import path

from ..views import payments as views

urlpatterns = [
    path("payments", views.payment_list, name="payments"),
    path("payments/export", views.payment_export, name="payments_export"),
    path("payments/add", views.payment_create, name="payment_create"),
    path("payments/<int:pk>", views.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/receipt", views.payment_receipt, name="payment_receipt"),
    path("payments/<int:pk>/void", views.payment_void, name="payment_void"),
    path("invoices/<int:pk>/payment", views.invoice_payment, name="invoice_payment"),
    path("invoices/<int:pk>/apply-credit", views.invoice_apply_credit,
         name="invoice_apply_credit"),
]
