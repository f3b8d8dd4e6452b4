"""What a request for nothing answers (Django's handler404), and what a request that failed with
an exception answers (handler500).

An address under /api/ that names nothing answers {"error": ...} as every API answer does, so a
script never has to read an HTML page; other addresses get the site's 404 page.

A database that does not answer (stopped, restarting, unreachable: django.db's
OperationalError and InterfaceError, wherever they are raised, even in middleware reading the
session) is an outage, not a bug: 503 with a page, or {"error": ...} for the JSON API, and a
Retry-After. Anything else gets the 500 page. Neither touches the database nor shows the error,
which Django logs with its traceback. Service resumes by itself: each request connects anew,
and a kept connection is checked before reuse (CONN_HEALTH_CHECKS).
"""
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.views import defaults

API_PREFIX = "/api/"
NO_SUCH_ADDRESS = "The API has no such address; /api/docs/ lists what it answers."
DATABASE_UNAVAILABLE = "The archive's database is not answering just now. Please try again in a minute."
RETRY_AFTER_SECONDS = 30


def page_not_found(request, exception):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"error": NO_SUCH_ADDRESS}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if not isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if _answers_json(request):
        response = JsonResponse({"error": DATABASE_UNAVAILABLE}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": DATABASE_UNAVAILABLE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _answers_json(request):
    """Whether the request was for a view of the JSON API (accounts.access.api_view)."""
    try:
        return getattr(resolve(request.path_info).func, "answers_json", False)
    except Resolver404:
        return False
