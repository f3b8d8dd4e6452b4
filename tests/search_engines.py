"""Switching the default search connection inside a test (the engine-parity and setup tests)."""
from contextlib import contextmanager

from haystack import connections

WHOOSH_ENGINE = "search.whoosh.ArchiveWhooshEngine"


@contextmanager
def search_engine(config):
    """Make `config` (a HAYSTACK_CONNECTIONS entry) the default connection for a while."""
    saved = connections.connections_info["default"]
    connections.connections_info["default"] = config
    connections.reload("default")
    try:
        yield connections["default"].get_backend()
    finally:
        connections.connections_info["default"] = saved
        connections.reload("default")
