from django.urls import path

from ..views import portal as views

app_name = "invoice_portal"
urlpatterns = [
    path("<str:token>/", views.invoice, name="invoice"),
    path("<str:token>/pdf", views.invoice_pdf, name="invoice_pdf"),
    path("<str:token>/pay", views.invoice_pay, name="invoice_pay"),
    path("<str:token>/receipts/<int:pk>", views.receipt_pdf, name="receipt_pdf"),
]
