from django.contrib import admin
from django.urls import include, path

from .health import healthz

# A database that does not answer gets 503 and a page saying so, not the 500 page.
handler500 = "archive.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("api.urls")),
    path("", include("search.urls")),
    path("", include("entities.urls")),
    path("", include("digest.urls")),
]
