from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("clients", views.client_list, name="list"),
    path("clients/add", views.client_create, name="create"),
    path("clients/export", views.client_export, name="export"),
    path("clients/<int:pk>", views.client_detail, name="detail"),
    path("clients/<int:pk>/edit", views.client_edit, name="edit"),
    path("clients/<int:pk>/delete", views.client_delete, name="delete"),
    path("clients/<int:pk>/contacts/add", views.contact_add, name="contact_add"),
    path("clients/contacts/<int:pk>/edit", views.contact_edit, name="contact_edit"),
    path("clients/contacts/<int:pk>/delete", views.contact_delete, name="contact_delete"),
    path("clients/contacts/<int:pk>/primary", views.contact_make_primary,
         name="contact_make_primary"),
    path("clients/groups", views.group_list, name="groups"),
    path("clients/groups/add", views.group_add, name="group_add"),
    path("clients/groups/<int:pk>/edit", views.group_edit, name="group_edit"),
    path("clients/groups/<int:pk>/delete", views.group_delete, name="group_delete"),
]
