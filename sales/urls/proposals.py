from django.urls import path

from ..views import proposal_actions as actions
from ..views import proposal_templates as templates
from ..views import proposals as views

urlpatterns = [
    path("proposals", views.proposal_list, name="proposals"),
    path("proposals/list_proposals", views.proposal_list, name="proposals_legacy"),
    path("proposals/export", views.proposal_export, name="proposals_export"),
    path("proposals/add", views.proposal_create, name="proposal_create"),
    path("proposals/clients", views.client_search, name="proposal_client_search"),
    path("proposals/clients/<int:pk>/contacts", views.client_contacts,
         name="proposal_client_contacts"),
    path("proposals/<int:pk>", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/send", actions.proposal_send, name="proposal_send"),
    path("proposals/<int:pk>/mark-sent", actions.proposal_mark_sent, name="proposal_mark_sent"),
    path("proposals/<int:pk>/status", actions.proposal_status, name="proposal_status"),
    path("proposals/<int:pk>/extend", actions.proposal_extend, name="proposal_extend"),
    path("proposals/<int:pk>/lost", actions.proposal_lost, name="proposal_lost"),
    path("proposals/<int:pk>/reply", actions.proposal_reply, name="proposal_reply"),
    path("proposals/<int:pk>/link", actions.proposal_link, name="proposal_link"),
    path("proposals/<int:pk>/revoke-link", actions.proposal_revoke_link,
         name="proposal_revoke_link"),
    path("proposals/<int:pk>/delete", actions.proposal_delete, name="proposal_delete"),
    path("proposals/<int:pk>/convert/sales-order", actions.proposal_convert_order,
         name="proposal_convert_order"),
    path("proposals/<int:pk>/pdf", actions.proposal_pdf, name="proposal_pdf"),
    path("proposals/<int:pk>/preview", actions.proposal_preview, name="proposal_preview"),
    path("proposals/<int:pk>/attachments/add", actions.proposal_attachment_add,
         name="proposal_attachment_add"),
    path("proposals/attachments/<int:pk>/delete", actions.proposal_attachment_delete,
         name="proposal_attachment_delete"),
    path("proposals/templates", templates.template_list, name="proposal_templates"),
    path("proposals/templates/add", templates.template_create, name="proposal_template_create"),
    path("proposals/templates/<int:pk>/edit", templates.template_edit,
         name="proposal_template_edit"),
    path("proposals/templates/<int:pk>/delete", templates.template_delete,
         name="proposal_template_delete"),
    path("proposals/settings", templates.proposal_settings, name="proposal_settings"),
]
