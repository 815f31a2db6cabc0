from django.urls import path

from ..views import records as views

urlpatterns = [
    path("leads/add", views.lead_create, name="create"),
    path("leads/<int:pk>", views.lead_detail, name="detail"),
    path("leads/<int:pk>/edit", views.lead_edit, name="edit"),
    path("leads/<int:pk>/lost", views.lead_lost, name="lost"),
    path("leads/<int:pk>/junk", views.lead_junk, name="junk"),
    path("leads/<int:pk>/restore", views.lead_restore, name="restore"),
    path("leads/<int:pk>/delete", views.lead_delete, name="delete"),
    path("leads/<int:pk>/convert-to-opportunity", views.lead_convert_opportunity,
         name="convert_opportunity"),
    path("leads/<int:pk>/convert-to-client", views.lead_convert_client, name="convert_client"),
    path("opportunities/<int:pk>", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit", views.opportunity_edit, name="opportunity_edit"),
]
