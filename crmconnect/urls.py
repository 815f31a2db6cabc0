from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from crmconnect.core.views import dashboard

urlpatterns = [
    path("", RedirectView.as_view(url="/admin")),
    path("accounts/", include("crmconnect.staff.auth_urls")),
    path("admin", dashboard, name="dashboard"),
    path("admin/", include("crmconnect.core.urls")),
    path("admin/", include("crmconnect.staff.urls")),
    path("admin/", include("crmconnect.company.urls")),
    path("admin/", include("crmconnect.clients.urls")),
    path("admin/", include("crmconnect.activity.urls")),
    path("admin/", include("leads.urls")),
    path("admin/", include("sales.urls")),
    path("admin/", include("billing.urls")),
    path("p/", include("sales.urls.portal")),
    path("i/", include("billing.urls.portal")),
    path("webhooks/", include("billing.urls.webhooks")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
