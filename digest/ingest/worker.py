"""What runs in an `ingest --jobs` worker process (see parallel.py).

Importable before Django is set up, which the worker does first: the process pool
imports this module to find its initializer.
"""
import os
import signal


def start_worker(overrides):
    """Set up Django in a spawned worker, with the parent's database and newsletter settings."""
    # Ctrl-C goes to the whole process group: the parent stops the run, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django
    from django.conf import settings

    for name, value in overrides.items():
        setattr(settings, name, value)  # before django.setup(), which opens the connection handler
    django.setup()


def parse_in_worker(item, date):
    """Read, split and extract one file."""
    from .service import parse_input

    outcome = parse_input(item, date=date)
    if outcome.document is not None:
        outcome.document.blocks = []  # the writer needs the source text, not the blocks it was split from
    return outcome
