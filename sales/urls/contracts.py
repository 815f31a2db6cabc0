from django.urls import path

from ..views import contract_settings as settings_views
from ..views import contracts as views

urlpatterns = [
    path("contracts", views.contract_list, name="contracts"),
    path("contracts/export", views.contract_export, name="contracts_export"),
    path("contracts/add", views.contract_create, name="contract_create"),
    path("contracts/from-proposal/<int:proposal_pk>", views.contract_from_proposal,
         name="contract_from_proposal"),
    path("contracts/<int:pk>", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/pdf", views.contract_pdf, name="contract_pdf"),
    path("contracts/<int:pk>/signed-pdf", views.contract_signed_pdf, name="contract_signed_pdf"),
    path("contracts/<int:pk>/send", views.contract_send, name="contract_send"),
    path("contracts/<int:pk>/signed-manually", views.contract_signed_manually,
         name="contract_signed_manually"),
    path("contracts/<int:pk>/status", views.contract_status, name="contract_status"),
    path("contracts/<int:pk>/revision", views.contract_revision, name="contract_revision"),
    path("contracts/<int:pk>/renew", views.contract_renew, name="contract_renew"),
    path("contracts/<int:pk>/delete", views.contract_delete, name="contract_delete"),
    path("contracts/<int:pk>/attachments/add", views.contract_attachment_add,
         name="contract_attachment_add"),
    path("contracts/attachments/<int:pk>/delete", views.contract_attachment_delete,
         name="contract_attachment_delete"),
    path("contracts/types", settings_views.type_list, name="contract_types"),
    path("contracts/types/add", settings_views.type_create, name="contract_type_create"),
    path("contracts/types/<int:pk>/edit", settings_views.type_edit, name="contract_type_edit"),
    path("contracts/types/<int:pk>/delete", settings_views.type_delete,
         name="contract_type_delete"),
    path("contracts/statuses", settings_views.status_list, name="contract_statuses"),
    path("contracts/statuses/add", settings_views.status_create,
         name="contract_status_create"),
    path("contracts/statuses/<int:pk>/edit", settings_views.status_edit,
         name="contract_status_edit"),
    path("contracts/statuses/<int:pk>/delete", settings_views.status_delete,
         name="contract_status_delete"),
]
