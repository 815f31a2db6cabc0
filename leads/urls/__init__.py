from django.urls import include, path

app_name = "leads"
urlpatterns = [
    path("", include("leads.urls.config")),
    path("", include("leads.urls.lists")),
    path("", include("leads.urls.records")),
    path("", include("leads.urls.interactions")),
]
