"""gunicorn's configuration for `make serve`: where to listen, how many workers, one log line per request.

BIND (default 127.0.0.1:8000; a reverse proxy in front terminates TLS) and WEB_CONCURRENCY
(gunicorn's own variable; default one worker per core, plus one) come from the environment.
"""
import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Search is CPU-bound, and each worker holds the index's arrays (about 190 MB at 100,000 stories):
# one worker per core, plus one to use a core while another worker waits on the disk. On 2 cores at
# 100,000 stories, bench/load.py's 16 clients got the same 25.8 requests/s from 3 workers as from 5,
# with faceted searches at p95 257 ms instead of 311 ms.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
# Threads let a worker answer while another request waits on the database or the index files.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Searches can take a few seconds on a cold index; a stuck worker is replaced after this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Each worker loads the project itself: no search-index file or connection opened in the master is shared
# across the fork, and measured throughput was no lower. A bad setting still stops start-up: no worker boots.
preload_app = False
accesslog = "-"
errorlog = "-"
# One line per request: client, request line, status, bytes, time taken in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn's control socket (gunicornc) per checkout, not one per user in $HOME that two archives would share.
control_socket = str(Path(__file__).resolve().parent.parent / "var" / "gunicorn.ctl")


def post_worker_init(worker):
    """Each worker opens the search index and builds its tables before analysts wait on it (search.warm)."""
    from search.warm import warm_up_in_background

    warm_up_in_background()
