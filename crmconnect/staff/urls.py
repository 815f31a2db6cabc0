from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("roles", views.roles, name="roles"),
    path("roles/add", views.role_add, name="role_add"),
    path("roles/<int:pk>", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete", views.role_delete, name="role_delete"),
    path("staff", views.users, name="users"),
    path("staff/add", views.user_add, name="user_add"),
    path("staff/<int:pk>", views.user_edit, name="user_edit"),
    path("teams", views.teams, name="teams"),
    path("teams/add", views.team_add, name="team_add"),
    path("teams/<int:pk>", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/delete", views.team_delete, name="team_delete"),
]
