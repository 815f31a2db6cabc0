from django.urls import path

from ..views import orders as views

urlpatterns = [
    path("orders", views.order_list, name="orders"),
    path("orders/export", views.order_export, name="orders_export"),
    path("orders/add", views.order_create, name="order_create"),
    path("orders/<int:pk>", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/confirm", views.order_confirm, name="order_confirm"),
    path("orders/<int:pk>/cancel", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/warehouse", views.order_warehouse, name="order_warehouse"),
]
