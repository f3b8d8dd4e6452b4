"""Who may see what: the archive is private unless ARCHIVE_PUBLIC is on.

Every view needs a logged-in user who holds the read permission, except views marked with
Django's `login_not_required` (the login pages, /healthz) and the admin, which lets in staff
only by itself. An anonymous page request goes to the login page; an anonymous API request
(a view marked `api_view`) gets 401 with {"error": ...}. API views also accept
`Authorization: Token <key>`; a wrong or revoked key is refused even on a public archive, so a
script never mistakes a broken key for access.
"""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render

from .roles import READ_PERMISSION
from .tokens import user_for_key

TOKEN_SCHEME = "Token"
NEEDS_LOGIN = f"This archive is private: log in, or send an API token as `Authorization: {TOKEN_SCHEME} <key>`."
BAD_HEADER = f"The Authorization header must be `{TOKEN_SCHEME} <key>`."
BAD_TOKEN = "The API token is not valid: it is mistyped or has been revoked. Ask an editor for a new one."
NO_PERMISSION = "Your account may not read the archive yet: ask an administrator to add it to the Analysts group."


def api_view(view):
    """Mark a view as part of the JSON API: token authentication, and errors as JSON."""
    view.answers_json = True
    return view


class PrivateArchiveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        api = getattr(view_func, "answers_json", False)
        if api and "HTTP_AUTHORIZATION" in request.META:
            refusal = _authenticate_token(request)
            if refusal:
                return _api_error(refusal, 401)
        if not getattr(view_func, "login_required", True) or request.resolver_match.app_name == "admin":
            return None
        user = request.user
        if user.is_authenticated:
            if user.has_perm(READ_PERMISSION):
                return None
            return _api_error(NO_PERMISSION, 403) if api else render(
                request, "403.html", {"reason": NO_PERMISSION}, status=403
            )
        if settings.ARCHIVE_PUBLIC:
            return None
        if api:
            return _api_error(NEEDS_LOGIN, 401)
        return redirect_to_login(request.get_full_path())


def _authenticate_token(request):
    """Set request.user from the token; the reason for refusing it otherwise."""
    scheme, _, key = request.META["HTTP_AUTHORIZATION"].strip().partition(" ")
    if scheme.lower() != TOKEN_SCHEME.lower() or not key.strip():
        return BAD_HEADER
    user = user_for_key(key.strip())
    if user is None:
        return BAD_TOKEN
    request.user = user
    return None


def _api_error(message, status):
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = TOKEN_SCHEME
    return response
