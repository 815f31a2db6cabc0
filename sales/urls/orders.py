from django.urls import path

from ..views import orders as views

urlpatterns = [
    path("orders/<int:pk>", views.order_detail, name="order_detail"),
]
