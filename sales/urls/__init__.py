from django.urls import include, path

app_name = "sales"
urlpatterns = [
    path("", include("sales.urls.catalogue")),
    path("", include("sales.urls.proposals")),
    path("", include("sales.urls.orders")),
    path("", include("sales.urls.contracts")),
]
