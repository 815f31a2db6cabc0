from django.urls import path

from leads.views import interactions as views

urlpatterns = [
    path("leads/<int:pk>/activities/add", views.interaction_add, name="interaction_add"),
    path("leads/activities/<int:pk>/delete", views.interaction_delete,
         name="interaction_delete"),
    path("leads/<int:pk>/follow-up", views.follow_up, name="follow_up"),
    path("leads/<int:pk>/attachments/add", views.attachment_add, name="attachment_add"),
    path("leads/attachments/<int:pk>/delete", views.attachment_delete,
         name="attachment_delete"),
]
