"""The archive's NinjaAPI: its operations, the OpenAPI document and its docs page.

Adding an endpoint is one operation function on a Router (see api/search.py): a `response=`
from api.schemas.answers(Model) and, when the view reads request.GET itself, an
`openapi_extra=query_parameters(QueryModel)`; then `API.add_router("", router)` below.
"""
from ninja import NinjaAPI, Swagger

from accounts.access import BAD_HEADER, TOKEN_SCHEME

from . import entities, search

# How the description tells clients to authenticate; accounts.access enforces it.
SECURITY_SCHEMES = {
    "token": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": f"{BAD_HEADER} `manage.py create_api_token USERNAME` prints a key.",
    },
    "session": {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "A logged-in browser's session."},
}


class ArchiveAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema["components"]["securitySchemes"] = SECURITY_SCHEMES
        return schema


class ArchiveDocs(Swagger):
    """Swagger UI (shipped in django-ninja's static files) inside the site's own page."""

    template = "api/docs.html"


API = ArchiveAPI(
    title="News Digest Archive API",
    version="1",
    description=(
        "The archive's search and its entities as JSON. A private archive (the default) answers only a logged-in "
        f"analyst or a script that sends `Authorization: {TOKEN_SCHEME} <key>`; a public one "
        "answers anyone, but a wrong or revoked key is always refused with 401."
    ),
    urls_namespace="api",
    docs=ArchiveDocs(settings={"defaultModelsExpandDepth": 0, "tryItOutEnabled": True}),
    docs_url="/docs/",
    # A token, a session, or nothing at all on a public archive.
    openapi_extra={"security": [{"token": []}, {"session": []}, {}]},
)
API.add_router("", search.router)
API.add_router("", entities.router)
