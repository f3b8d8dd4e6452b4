"""A full disk or a database that went away, told apart from bugs, in words an editor can act on.

Storing a file fails either way inside its transaction, which rolls back, so the message can
promise that nothing was stored; the disk's and the database's own words go to the log.
"""
import errno

from django.db import InterfaceError, OperationalError, connection

DISK_FULL = "the disk is full: nothing was stored. Free some space, then ingest the file again"
DATABASE_DOWN = "the database is unavailable: nothing was stored. Ingest the file again once it answers"
# SQLite's SQLITE_FULL, and the operating system's ENOSPC as PostgreSQL reports it.
DISK_FULL_WORDS = ("database or disk is full", "no space left on device")


def _causes(error):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def is_disk_full(error) -> bool:
    return any(
        (isinstance(e, OSError) and e.errno == errno.ENOSPC) or any(w in str(e).lower() for w in DISK_FULL_WORDS)
        for e in _causes(error)
    )


def outage_message(error) -> str | None:
    """DISK_FULL or DATABASE_DOWN when that is why storing failed; None for anything else (a bug)."""
    if is_disk_full(error):
        return DISK_FULL
    if any(isinstance(e, (OperationalError, InterfaceError)) for e in _causes(error)):
        return DATABASE_DOWN
    return None


def reconnect_if_dropped():
    """Drop a connection the database server closed (it was restarted), so the next file connects
    anew and a long run resumes once the database is back. Never inside a transaction."""
    if connection.errors_occurred and not connection.in_atomic_block:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()
