"""The process's extractor over the database registry, kept current without rebuilding it.

Every call asks each registry table for its row count, highest id and latest update (in one
query, answered from indexes whatever the table's size). When these differ from what the
extractor holds, the rows added since are read and learnt in place. When they do not explain the
difference, and at least every FULL_CHECK_SECONDS, the rows updated within WINDOW of the latest
update are read too: anything else found (an edit, a delete, counts that still do not add up,
more new rows than a rebuild costs) rebuilds the extractor from the tables. (Reading the window
on every call cost the ingestion most of its time: it holds every row the ingestion stored in the
last WINDOW, thousands of them, read for every file.) Every read is a raw query of values, not the
ORM: a worker reads after each file another process stored, and building the querysets cost it
more than the database took to answer them.
Entities this process stores are learnt as soon as their transaction commits (`learn_stored`),
and curation rebuilds (`invalidate`).

A row is looked for up to WINDOW after its last update, so an edit committed that much later than
it was made is only seen at the next rebuild; an edit committed after newer rows (its update
time is not the latest) is found at the first change once FULL_CHECK_SECONDS have passed. What
was read inside a transaction counts once it commits: after a rollback the extractor is rebuilt.
Each process (each ingestion worker) keeps its own extractor.
"""
import datetime
import threading
import time

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .pipeline import Extractor
from .registry import Registry
from .records import STORED_FIELDS, EntityRecord

# Longer than any transaction that writes the registry stays open, as far as a row's update
# time goes: an ingestion's store, a curation's edit.
WINDOW = datetime.timedelta(seconds=30)
# Rounds of reading what was added before the counts must add up: more commits may land meanwhile.
CATCH_UP_ROUNDS = 3
# More new rows than this at once (a bulk load) are read by a rebuild.
LEARN_AT_MOST = 2000
# How often at most a catch-up whose new rows explain the change also reads the window.
FULL_CHECK_SECONDS = 5.0
# Ids per "IN (...)" query: well below SQLite's limit on a statement's parameters.
READ_CHUNK = 500


class _Rows:
    """The rows of one registry table the extractor holds (id -> last update), and the raw queries
    that read the table's rows since."""

    def __init__(self, model, *fields):
        self.updated = {}
        self.max_id, self.latest = 0, None
        meta = model._meta
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.key, self.stamp = quote(meta.pk.column), quote(meta.get_field("updated_at").column)
        columns = [meta.get_field(name) for name in fields]
        self.select = f"SELECT {', '.join([self.key, self.stamp, *(quote(field.column) for field in columns)])} FROM {self.table}"
        # SQLite gives a boolean as 0 or 1; the records hold what the ORM would give.
        self.booleans = [i + 2 for i, field in enumerate(columns) if isinstance(field, models.BooleanField)]

    def record(self, pk, updated_at):
        self.updated[pk] = updated_at
        self.max_id = max(self.max_id, pk)
        if self.latest is None or updated_at > self.latest:
            self.latest = updated_at

    def watermark(self):
        return len(self.updated), self.max_id, self.latest

    def all(self):
        """(id, last update, *fields) of every row."""
        return self._rows(self.select, [])

    def added(self, at_most):
        """(id, last update, *fields) of the rows above the highest id held, at most `at_most` + 1 of them."""
        return self._rows(f"{self.select} WHERE {self.key} > %s LIMIT {int(at_most) + 1}", [self.max_id])

    def updated_lately(self):
        """(id, last update) of the rows up to the highest id held that were updated within WINDOW of the latest update."""
        if self.latest is None:
            return []
        since = connection.ops.adapt_datetimefield_value(self.latest - WINDOW)
        sql = f"SELECT {self.key}, {self.stamp} FROM {self.table} WHERE {self.key} <= %s AND {self.stamp} >= %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.max_id, since])
            return [(pk, _as_datetime(updated_at)) for pk, updated_at in cursor.fetchall()]

    def read(self, pks):
        """(id, last update, *fields) of these rows."""
        pks, found = sorted(pks), []
        for start in range(0, len(pks), READ_CHUNK):
            chunk = pks[start:start + READ_CHUNK]
            found += self._rows(f"{self.select} WHERE {self.key} IN ({', '.join(['%s'] * len(chunk))})", chunk)
        return found

    def _rows(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converted = []
        for row in rows:
            row = list(row)
            row[1] = _as_datetime(row[1])
            for i in self.booleans:
                row[i] = None if row[i] is None else bool(row[i])
            converted.append(row)
        return converted


class _State:
    def __init__(self):
        self.lock = threading.RLock()
        self.extractor = None
        self.rows = {}  # model -> _Rows
        self.provisional = None  # the outermost transaction it was read in, until that commits
        self.window_read_at = None  # time.monotonic() of the last catch-up that read the window


_state = _State()


def registry_fingerprint():
    """(row count, highest id, latest update) of each registry table: any add, delete or edit changes it.

    One query of scalar subqueries, each of which SQLite and PostgreSQL answer from an index (one
    SELECT of several aggregates would scan the table)."""
    from digest.models import Alias, Entity, StopForm

    models = (Entity, Alias, StopForm)
    quote = connection.ops.quote_name
    columns = [
        f"(SELECT {function} FROM {quote(model._meta.db_table)})"
        for model in models
        for function in ("COUNT(*)", f"MAX({quote(model._meta.pk.column)})", f"MAX({quote('updated_at')})")
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        values = cursor.fetchone()
    return {
        model: (count, max_id or 0, _as_datetime(latest))
        for model, (count, max_id, latest) in zip(models, zip(*[iter(values)] * 3))
    }


def _as_datetime(value):
    """A MAX(updated_at) as the ORM reads the column (SQLite gives the stored text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value


def get_extractor() -> Extractor:
    with _state.lock:
        in_transaction = connection.atomic_blocks[0] if connection.in_atomic_block else None
        if _state.provisional and _state.provisional is not in_transaction:
            _state.extractor = None  # the transaction it read in rolled back
        if _state.extractor is None:
            _rebuild()
        else:
            _catch_up()
        return _state.extractor


def invalidate():
    """Forget the built extractor: the next one is rebuilt (curation calls this)."""
    with _state.lock:
        _state.extractor = None


def learn_stored(stored):
    """Entities this process has just committed, as (id, last update, EntityRecord): the extractor
    knows them without reading them back."""
    with _state.lock:
        if _state.extractor is None:
            return
        from digest.models import Entity

        rows = _state.rows[Entity]
        new = [(pk, updated_at, entry) for pk, updated_at, entry in stored if pk not in rows.updated]
        _state.extractor.registry.learn([entry for _, _, entry in new])
        for pk, updated_at, _ in new:
            rows.record(pk, updated_at)


def registry_from_db():
    """The registry as the tables hold it now."""
    return _read_registry()[0]


def _rebuild():
    registry, rows = _read_registry()
    _state.extractor = Extractor(registry)
    _state.rows, _state.provisional = rows, None
    _state.window_read_at = time.monotonic()
    _mark_read()


def _tables():
    """A _Rows for each registry table, holding nothing yet."""
    from digest.models import Alias, Entity, StopForm

    return {Entity: _Rows(Entity, *STORED_FIELDS), Alias: _Rows(Alias, "entity_id", "name"), StopForm: _Rows(StopForm, "form")}


def _read_registry():
    """The registry from the tables, read as values, and the rows it was made from."""
    from digest.models import Alias, Entity, StopForm

    rows = _tables()
    stored = {}
    for pk, updated_at, *fields in rows[Entity].all():
        stored[pk] = fields
        rows[Entity].record(pk, updated_at)
    aliases = {}
    for pk, updated_at, entity_id, name in rows[Alias].all():
        # An alias of an entity stored after the entities were read is read with it next time.
        if entity_id in stored:
            aliases.setdefault(entity_id, []).append(name)
            rows[Alias].record(pk, updated_at)
    entries = [EntityRecord.from_stored(fields, aliases.get(pk, ())) for pk, fields in stored.items()]
    stop_forms = []
    for pk, updated_at, form in rows[StopForm].all():
        stop_forms.append(form)
        rows[StopForm].record(pk, updated_at)
    return Registry(entries, stop_forms), rows


def _catch_up():
    """Learn the rows added since; rebuild when something else changed.

    A round reads only the rows added since, unless the window is due (FULL_CHECK_SECONDS), the
    previous round found nothing new to explain the change, or it is the last round. When every
    round learnt new rows and the counts still differ, more rows were committed meanwhile (a busy
    writer): when no row held is missing, those are left for the next call rather than rebuilt."""
    due = _state.window_read_at is None or time.monotonic() - _state.window_read_at >= FULL_CHECK_SECONDS
    window = due
    for round_number in range(1, CATCH_UP_ROUNDS + 1):
        fingerprint = registry_fingerprint()
        stale = [model for model, rows in _state.rows.items() if rows.watermark() != fingerprint[model]]
        if not stale:
            return
        window = window or round_number == CATCH_UP_ROUNDS
        started = time.monotonic()
        learnt = _learn_recent(stale, window)
        if learnt is None:
            break
        if window:
            _state.window_read_at = started
        window = not learnt
        _mark_read()
        # What was read had been committed when the fingerprint was taken, or later: when the
        # extractor now holds what the fingerprint counted, it is current, and a second fingerprint
        # (one more query for every file another process stored) would only say so again.
        if all(rows.watermark() == fingerprint[model] for model, rows in _state.rows.items()):
            return
    else:
        if _held_rows_all_there():
            return
    _rebuild()


def _held_rows_all_there():
    """Whether each table still has as many rows up to the highest id held as the extractor holds
    (none deleted, none committed late below it)."""
    held = list(_state.rows.values())
    counts = ", ".join(f"(SELECT COUNT(*) FROM {rows.table} WHERE {rows.key} <= %s)" for rows in held)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", [rows.max_id for rows in held])
        found = cursor.fetchone()
    return all(count == len(rows.updated) for count, rows in zip(found, held))


def _learn_recent(models, window=True):
    """Learn the new rows of these tables: how many; None when a row held has changed. Rows updated
    within WINDOW of the latest are looked at only with `window`."""
    from digest.models import Alias, Entity, StopForm

    new = {model: [] for model in (Entity, Alias, StopForm)}
    for model in models:
        rows = _state.rows[model]
        new[model] = rows.added(LEARN_AT_MOST)
        if window:
            late = []  # committed after rows with higher ids
            for pk, updated_at in rows.updated_lately():
                if pk not in rows.updated:
                    late.append(pk)
                elif rows.updated[pk] != updated_at:
                    return None
            new[model] += rows.read(late)
        # In id order, as a rebuild reads them: the registry learns names in the order given.
        new[model].sort()
    if sum(map(len, new.values())) > LEARN_AT_MOST:
        return None
    entities, held = _state.rows[Entity], _state.rows[Entity].updated
    aliases = new[Alias]
    # New aliases of entities read before come with their entity, unchanged, for the registry to learn them by.
    wanted = {entity_id for _, _, entity_id, _ in aliases} - {row[0] for row in new[Entity]}
    stored, read = {}, []
    for pk, updated_at, *fields in sorted(new[Entity] + entities.read(wanted)):
        if pk in held and held[pk] != updated_at:
            return None
        stored[pk] = fields
        read.append((pk, updated_at))
    new_aliases = {}
    for _, _, entity_id, name in aliases:
        if entity_id not in stored:
            return None  # its entity went away meanwhile
        new_aliases.setdefault(entity_id, []).append(name)
    entries = [EntityRecord.from_stored(fields, new_aliases.get(pk, ())) for pk, fields in stored.items()]
    stops = new[StopForm]
    _state.extractor.registry.learn(entries, [form for _, _, form in stops])
    for pk, updated_at in read:
        if pk not in held:
            entities.record(pk, updated_at)
    for model, rows in ((Alias, aliases), (StopForm, stops)):
        for pk, updated_at, *_ in rows:
            _state.rows[model].record(pk, updated_at)
    return len(read) + len(aliases) + len(stops)


def _mark_read():
    """What was read inside a transaction stands only once the transaction commits."""
    if connection.in_atomic_block and _state.provisional is None:
        _state.provisional = connection.atomic_blocks[0]
        transaction.on_commit(_committed)


def _committed():
    _state.provisional = None
