"""Memory management shared by the apps."""
import gc
from contextlib import contextmanager


@contextmanager
def collection_paused():
    """Python's cyclic garbage collector off while a large piece of work runs.

    Indexing a batch and extracting a long story build hundreds of thousands of objects, none
    of them garbage; each collection walked them all (a fifth of indexing time, and a cost that
    grew faster than a story's length)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
