from django.urls import path

from ..views import webhooks as views

app_name = "webhooks"
urlpatterns = [
    path("payments/gateway", views.gateway_webhook, name="gateway"),
]
