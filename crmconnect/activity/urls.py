from django.urls import path

from . import views

app_name = "activity"
urlpatterns = [
    path("tasks/list_tasks", views.task_list, name="tasks"),
    path("tasks/add", views.task_add, name="task_add"),
    path("tasks/<int:pk>", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done", views.task_done, name="task_done"),
    path("tasks/<int:pk>/delete", views.task_delete, name="task_delete"),
    path("notifications", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read", views.notification_read, name="notification_read"),
    path("notifications/read-all", views.notification_read_all,
         name="notifications_read_all"),
    path("activity", views.activity_log, name="log"),
    path("attachments/<int:pk>", views.attachment_download, name="attachment"),
]
