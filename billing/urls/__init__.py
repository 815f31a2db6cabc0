from django.urls import include, path

app_name = "billing"
urlpatterns = [
    path("", include("billing.urls.invoices")),
    path("", include("billing.urls.payments")),
    path("", include("billing.urls.config")),
]
