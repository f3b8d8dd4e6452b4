"""/api/: the operations, /api/openapi.json and the docs page /api/docs/.

Every route but the docs page is an API view for accounts.access: token authentication and
errors as JSON. The docs page is a page like the others (a login, then Swagger UI).
"""
from django.urls import path

from accounts.access import api_view

from .site import API

DOCS_PAGE = "openapi-view"


def _api_urls():
    patterns, app_name, namespace = API.urls
    for pattern in patterns:
        if pattern.name != DOCS_PAGE:
            api_view(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [path("api/", _api_urls())]
