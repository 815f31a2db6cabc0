from django.urls import path

from ..views import invoice_actions as actions
from ..views import invoices as views

urlpatterns = [
    path("invoices", views.invoice_list, name="invoices"),
    path("invoices/list_invoices", views.invoice_list, name="invoice_list"),
    path("invoices/export", views.invoice_export, name="invoices_export"),
    path("invoices/unpaid/export", views.unpaid_export, name="unpaid_export"),
    path("invoices/add", views.invoice_create, name="invoice_create"),
    path("invoices/from-proposal/<int:pk>", actions.invoice_from_proposal,
         name="invoice_from_proposal"),
    path("invoices/from-order/<int:pk>", actions.invoice_from_order, name="invoice_from_order"),
    path("invoices/<int:pk>", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/edit", views.invoice_edit, name="invoice_edit"),
    path("invoices/<int:pk>/pdf", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/delete", actions.invoice_delete, name="invoice_delete"),
    path("invoices/<int:pk>/issue", actions.invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/send", actions.invoice_send, name="invoice_send"),
    path("invoices/<int:pk>/mark-sent", actions.invoice_mark_sent, name="invoice_mark_sent"),
    path("invoices/<int:pk>/link", actions.invoice_link, name="invoice_link"),
    path("invoices/<int:pk>/cancel", actions.invoice_cancel, name="invoice_cancel"),
]
