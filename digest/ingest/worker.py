"""What runs in an `ingest --jobs` worker process (see parallel.py).

Importable before Django is set up, which the worker does first: the process pool
imports this module to find its initializer.
"""
import os
import signal
import threading
import time

# How often a worker looks whether the command that started it is still there.
ORPHAN_CHECK_SECONDS = 0.5


def start_worker(overrides):
    """Set up Django in a spawned worker, with the parent's database and newsletter settings."""
    # Ctrl-C goes to the whole process group: the parent stops the run, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A command killed with kill -9 cannot stop its workers; they notice and end by themselves.
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django
    from django.conf import settings

    for name, value in overrides.items():
        setattr(settings, name, value)  # before django.setup(), which opens the connection handler
    django.setup()


def _exit_when_orphaned(parent):
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def parse_in_worker(item, date):
    """Read, split and extract one file."""
    from .service import parse_input

    outcome = parse_input(item, date=date)
    if outcome.document is not None:
        outcome.document.blocks = []  # the writer needs the source text, not the blocks it was split from
    return outcome


def announce_in_worker(story_ids, using):
    """Tell this process's subscribers (the search index) that these committed stories changed;
    returns the seconds it took, in all and on its CPU (see indexer.py)."""
    from digest.signals import send_changed

    started, cpu_started = time.perf_counter(), time.thread_time()
    send_changed(set(story_ids), using)
    return time.perf_counter() - started, time.thread_time() - cpu_started
