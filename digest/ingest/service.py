"""The one way a file becomes a digest, used by the command line and the admin upload alike.

Each file goes check -> read -> split -> extract -> store in its own transaction, so a bad
file in a batch is reported and skipped while the rest go in, and nothing is ever
half-saved. The search index follows after each commit.

The steps are three functions so that `ingest --jobs` can run them apart: `check_input`
(the hash check that skips files already stored, before any parsing), `parse_input`
(reading, splitting and extraction, which touch the database only to read the entity
registry, so worker processes run it) and `store_parsed` (one transaction, in the one
process that writes).
"""
import datetime
import hashlib
import logging
import time
from pathlib import PurePath
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from digest.bulk_insert import insert_rows
from digest.duplicates.signature import sign
from digest.duplicates.store import link_if_enabled
from digest.extract import get_extractor
from digest.extract.store import save_digest_mentions
from digest.models import Digest, RecommendedRead, Story
from digest.moved import stories_moved
from digest.signals import announce_changed

from .dates import check_plausible, date_from_filename
from .document import ReadDocument, SplitDigest
from .errors import DateError, IngestError
from .fingerprint import stories_fingerprint
from .links import check_read_links
from .outages import outage_message, reconnect_if_dropped
from .readers import read_document
from .sources import InputFile
from .splitter import split_digest

logger = logging.getLogger(__name__)

PARSED, CREATED, DUPLICATE, REPLACED, ERROR = "parsed", "created", "duplicate", "replaced", "error"
# What the checks of a file against the stored digests read (`_clashing`).
CLASH_FIELDS = ("id", "date", "title", "newsletter", "file_name", "sha256", "stories_sha256")


@dataclass
class IngestOutcome:
    """What happened to one input file."""

    file: str
    status: str
    error: str | None = None
    digest: Digest | None = None
    split: SplitDigest | None = None
    date: datetime.date | None = None
    title: str | None = None
    intro: str = ""
    newsletter: str = ""
    document: ReadDocument | None = None
    entities: list = field(default_factory=list)  # one StoryEntities per story, in order
    signed: list | None = None  # one duplicates.signature.Signed per story, when linking at ingest
    # An ERROR for the date alone (DateError): the file's split, which the upload's review keeps
    # so that the editor can give the date.
    split_without_date: SplitDigest | None = None
    notes: list[str] = field(default_factory=list)  # what was stored differently from the file, and why
    seconds: dict = field(default_factory=dict)  # time per stage: "read_split", "extract", "store"
    cpu_seconds: dict = field(default_factory=dict)  # CPU time of the thread doing it, per stage

    @property
    def ok(self):
        return self.status != ERROR

    def as_json(self):
        stories = self.split.stories if self.split else []
        reads = self.split.recommended_reads if self.split else []
        return {
            "file": self.file,
            "status": self.status,
            "error": self.error,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "intro": self.intro,
            "digest_id": self.digest.pk if self.digest else None,
            "stories": [
                {"headline": story.headline, "paragraphs": story.paragraphs, **found.as_json()}
                for story, found in zip(stories, self.entities)
            ],
            "recommended_reads": [{"outlet": r.outlet, "title": r.title, "url": r.url} for r in reads],
            "notes": self.notes,
        }


def ingest_inputs(inputs, *, date=None, replace=False, dry_run=False):
    """Ingest each input in turn; yields one IngestOutcome per input, errors included."""
    for item in inputs:
        yield ingest_input(item, date=date, replace=replace, dry_run=dry_run)


def ingest_input(item: InputFile, *, date=None, replace=False, dry_run=False, split=None) -> IngestOutcome:
    """`split`, when given, is the file's split as an editor corrected it (the upload's review):
    it is stored instead of splitting the file again; everything else goes the usual way."""
    outcome = check_input(item, dry_run=dry_run) or parse_input(item, date=date, split=split)
    if outcome.status == PARSED and not dry_run:
        outcome = store_parsed(item, outcome, replace=replace)
    return outcome


def check_input(item: InputFile, *, dry_run=False) -> IngestOutcome | None:
    """The outcome of a file that needs no parsing (unreadable, or its bytes already stored), else None.

    The hash check is what makes a rerun of an interrupted ingestion skip what went in."""
    if item.error:
        return IngestOutcome(item.name, ERROR, error=item.error)
    if not dry_run:
        reconnect_if_dropped()
        sha256 = _sha256(item)
        return _reporting_failures(item.name, lambda: _stored_copy(item.name, _clashing(sha256), sha256))
    return None


def parse_input(item: InputFile, *, date=None, split=None) -> IngestOutcome:
    """Read, split and extract one file: a PARSED outcome, or an ERROR one with the reason."""
    return _reporting_failures(item.name, lambda: _parse(item, explicit_date=date, split=split))


def store_parsed(item: InputFile, outcome: IngestOutcome, *, replace=False) -> IngestOutcome:
    """Store a parsed file in one transaction: CREATED, REPLACED, DUPLICATE or ERROR."""
    started, cpu_started = time.perf_counter(), time.thread_time()
    reconnect_if_dropped()
    stored = _reporting_failures(item.name, lambda: _store(item, outcome, replace=replace))
    stored.seconds = {**outcome.seconds, "store": time.perf_counter() - started}
    stored.cpu_seconds = {**outcome.cpu_seconds, "store": time.thread_time() - cpu_started}
    return stored


def _reporting_failures(name, step):
    try:
        return step()
    except DateError as error:
        return IngestOutcome(name, ERROR, error=str(error), split_without_date=error.split, newsletter=error.newsletter)
    except IngestError as error:
        return IngestOutcome(name, ERROR, error=str(error))
    except Exception as error:
        # A full disk, a database gone or a bug must not cost the rest of the batch; the
        # transaction has rolled back.
        outage = outage_message(error)
        if outage:
            logger.error("Ingesting %s failed: %s: %s", name, type(error).__name__, error)
            return IngestOutcome(name, ERROR, error=outage)
        logger.exception("Ingesting %s failed", name)
        return IngestOutcome(name, ERROR, error=f"unexpected failure, nothing was stored ({type(error).__name__}: {error})")


def _sha256(item):
    return hashlib.sha256(item.data).hexdigest()


def _duplicate(name, existing):
    return IngestOutcome(
        name,
        DUPLICATE,
        error=f"the same file was already ingested as the digest of {existing.date:%Y-%m-%d} "
        f"({existing.file_name})",
        digest=existing,
        date=existing.date,
        title=existing.title,
    )


def _same_stories(name, existing):
    return IngestOutcome(
        name,
        DUPLICATE,
        error=f"same stories as digest {existing.pk} ({existing.date:%Y-%m-%d}, {existing.newsletter}, "
        f"from {existing.file_name}): another copy of the same issue",
        digest=existing,
        date=existing.date,
        title=existing.title,
    )


def _parse(item, *, explicit_date, split=None):
    started, cpu_started = time.perf_counter(), time.thread_time()
    document = read_document(item.name, item.data)
    filename_date = date_from_filename(item.name)
    # A date known from outside the text gives its year to a title date written without one.
    split = split or split_digest(document, context=explicit_date or filename_date)
    notes = check_read_links(split.recommended_reads)
    split_at, cpu_split_at = time.perf_counter(), time.thread_time()
    # A file that names no newsletter is an issue of the archive's own, so that its e-mail copy
    # (From: that newsletter) is the same issue on the same day, not a second one.
    newsletter = (document.newsletter or "").strip()[:200] or settings.DEFAULT_NEWSLETTER
    # The splitter's date is the digest's own title or dateline, else the format's (Date header, <time>).
    date = split.date or explicit_date or filename_date
    try:
        if date is None:
            raise DateError(
                "no publication date: the file states none; give one with --date (or the upload's date "
                "field, or on its review) or put an ISO date such as 2014-11-26 in the file name"
            )
        where = "stated in the file" if split.date else "given with --date" if explicit_date else "in the file name"
        check_plausible(date, where)
    except DateError as error:
        error.split, error.newsletter = split, newsletter
        raise
    title = (document.title or split.title or "").strip() or f"{newsletter}, {date.day} {date:%B %Y}"
    # The front matter without the line that became the title: the blurb, dateline, greeting, notes.
    intro = "\n\n".join(part for part in split.front_matter if part.strip() != title)
    extractor = get_extractor()
    entities = [extractor.extract(story.headline, story.paragraphs) for story in split.stories]
    # Signing needs no database, so it happens here, in the worker, and the writer only stores and compares.
    signed = [sign(*_stored_text(story)) for story in split.stories] if settings.NEAR_DUPLICATES_AT_INGEST else None
    return IngestOutcome(
        item.name,
        PARSED,
        split=split,
        date=date,
        title=title[:300],
        intro=intro,
        newsletter=newsletter,
        document=document,
        entities=entities,
        signed=signed,
        notes=notes,
        seconds={"read_split": split_at - started, "extract": time.perf_counter() - split_at},
        cpu_seconds={"read_split": cpu_split_at - cpu_started, "extract": time.thread_time() - cpu_split_at},
    )


def _store(item, outcome, *, replace):
    sha256 = _sha256(item)
    fingerprint = stories_fingerprint(
        (story.headline, "\n\n".join(story.paragraphs)) for story in outcome.split.stories
    )
    try:
        with transaction.atomic():
            # Asked again inside the transaction: another process may have stored this issue since
            # check_input. On SQLite the transaction holds the write lock, so the answer stands.
            clashing = _clashing(sha256, outcome.date, lock=True)
            stored = _stored_copy(item.name, clashing, sha256, outcome.date, fingerprint, same_stories=not replace)
            if stored:
                return stored
            digest, old_story_ids, status = _claim_digest(item, outcome, clashing, sha256, fingerprint, replace=replace)
            new_story_ids = _save_contents(digest, outcome)
            announce_changed(new_story_ids + old_story_ids)
    except IntegrityError:
        # PostgreSQL: another process stored the same bytes or the same issue after our check,
        # and its commit made our insert fail.
        stored = _stored_copy(item.name, _clashing(sha256, outcome.date), sha256, outcome.date, fingerprint,
                              same_stories=True)
        if stored:
            return stored
        raise IngestError(
            f"another digest of {outcome.newsletter} for {outcome.date:%Y-%m-%d} "
            "was stored at the same moment; run the ingestion again to replace it"
        ) from None
    outcome.status = status
    outcome.digest = digest
    return outcome


def _clashing(sha256, date=None, *, lock=False):
    """The stored digests a file can clash with: the one with these bytes and those of its day
    (locked on PostgreSQL until the commit, with `lock`), newest first. One query for every check
    that follows, reading only the fields they use (never the stored source text).

    Written as SQL: it is asked twice a file, and the ORM took three times longer to build the
    query than the database to answer it over the sha256 and date indexes."""
    quote = connection.ops.quote_name
    column = {name: quote(Digest._meta.get_field(name).column) for name in CLASH_FIELDS}
    condition, params = f"{column['sha256']} = %s", [sha256]
    if date is not None:
        condition, params = f"{condition} OR {column['date']} = %s", [*params, connection.ops.adapt_datefield_value(date)]
    locking = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    return list(Digest.objects.raw(
        f"SELECT {', '.join(column.values())} FROM {quote(Digest._meta.db_table)} WHERE {condition}"
        f" ORDER BY {column['date']} DESC, {column['id']} DESC{locking}",
        params,
    ))


def _stored_copy(name, clashing, sha256, date=None, fingerprint=None, *, same_stories=False):
    """The DUPLICATE outcome when these bytes, or (with `same_stories`) these stories on this day,
    are among the `clashing` digests."""
    same_bytes = next((row for row in clashing if row.sha256 == sha256), None)
    if same_bytes:
        return _duplicate(name, same_bytes)
    same = next((row for row in clashing if row.date == date and row.stories_sha256 == fingerprint), None)
    if same_stories and same:
        return _same_stories(name, same)
    return None


def _claim_digest(item, outcome, clashing, sha256, fingerprint, *, replace):
    """The Digest row this file becomes: a new one, or the same-day issue among the `clashing`
    digests it replaces (of the same newsletter, else the stored copy of the same stories)."""
    fields = dict(
        title=outcome.title,
        intro=outcome.intro,
        newsletter=outcome.newsletter,
        file_name=PurePath(item.name).name[:255],  # a zip member's own name, not its path
        source_format=outcome.document.source_format,
        sha256=sha256,
        source_text=outcome.document.source_text,
        stories_sha256=fingerprint,
        index_pending=True,  # until search.indexing has indexed its stories
    )
    same_day = [row for row in clashing if row.date == outcome.date]
    current = next((row for row in same_day if row.newsletter == outcome.newsletter), None)
    if current is None and replace:
        current = next((row for row in same_day if row.stories_sha256 == fingerprint), None)
    if current is None:
        return Digest.objects.create(date=outcome.date, **fields), [], CREATED
    if not replace:
        raise IngestError(
            f"a different digest for {outcome.date:%Y-%m-%d} is already stored (from {current.file_name}); "
            "use --replace (or tick 'replace' in the upload) to replace it with this file"
        )
    old_story_ids = list(current.stories.values_list("pk", flat=True))
    stories_moved(old_story_ids, current)  # their pages lead to the digest, which keeps its id
    current.stories.all().delete()
    current.recommended_reads.all().delete()
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()  # every field but ingested_at, which was not read: a replacement is no new issue
    return current, old_story_ids, REPLACED


def _stored_text(story):
    """A split story's headline and body as its Story row holds them."""
    return story.headline[:500], "\n\n".join(story.paragraphs)


def _save_contents(digest, outcome):
    """Store the file's stories and reads under its digest, then what the later steps found in them."""
    stories = []
    for position, story in enumerate(outcome.split.stories, start=1):
        headline, body = _stored_text(story)
        stories.append(Story(digest=digest, position=position, headline=headline, body=body,
                             slug=slugify(story.headline)[:200] or "story"))
    pks = [pk for pk, in insert_rows(Story, ("digest", "position", "headline", "body", "slug"),
                                     [(digest.pk, s.position, s.headline, s.body, s.slug) for s in stories],
                                     returning=("id",))]
    for story, pk in zip(stories, pks, strict=True):
        story.pk, story._state.adding, story._state.db = pk, False, digest._state.db  # stored, as bulk_create leaves them
    insert_rows(RecommendedRead, ("digest", "position", "outlet", "title", "url"), [
        (digest.pk, position, read.outlet[:200], read.title[:500], read.url)
        for position, read in enumerate(outcome.split.recommended_reads, start=1)
    ])
    save_digest_mentions(stories, outcome.entities, new_stories=True)
    link_if_enabled(stories, outcome.signed)
    return pks
