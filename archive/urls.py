from django.contrib import admin
from django.urls import include, path

from .health import healthz

# An API address that names nothing gets JSON; a database that does not answer gets 503 and a page
# saying so, not the 500 page.
handler404 = "archive.errors.page_not_found"
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
