"""GET /healthz: whether the database and the search engine answer, for load balancers and monitoring.

Open to anyone (it says only "ok" or "down"), never cached, and exempt from the HTTPS redirect
so a health check can speak plain HTTP to the server itself.
"""
import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from haystack.query import SearchQuerySet

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _search():
    SearchQuerySet().all().count()


CHECKS = {"database": _database, "search": _search}


@never_cache
@login_not_required
def healthz(request):
    answers = {}
    for part, check in CHECKS.items():
        try:
            check()
            answers[part] = "ok"
        except Exception:
            logger.exception("Health check: the %s is down", part)
            answers[part] = "down"
    return JsonResponse(answers, status=200 if all(a == "ok" for a in answers.values()) else 503)
