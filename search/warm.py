"""Warming a worker's search engine before the first analyst waits on it.

An engine keeps per process what it needs to answer quickly (ours: each segment's arrays and
spelling tables, search.whoosh.tables); built by the first request, that is seconds of one
person's wait per worker at 100,000 stories. gunicorn's post_worker_init hook
(deploy/gunicorn.conf.py) runs warm_up in a thread as each worker starts; a request that
arrives meanwhile waits for the same work instead of repeating it.
"""
import logging
import threading

from django.db import connections

from .query import search
from .results import SearchParams

logger = logging.getLogger(__name__)

# A word no story has: the search counts every facet over nothing and asks for a suggestion,
# which builds every segment's spelling table.
UNKNOWN_WORD = "qxzvkwarmup"


def warm_up():
    """One faceted search with a spelling suggestion; a failure is logged, never raised."""
    try:
        search(SearchParams(q=UNKNOWN_WORD))
    except Exception:
        logger.warning("Warming the search engine failed; the first search will do that work.", exc_info=True)
    finally:
        connections.close_all()  # this thread's own, if the engine used the database


def warm_up_in_background():
    thread = threading.Thread(target=warm_up, name="search-warm-up", daemon=True)
    thread.start()
    return thread
