"""The one way a file becomes a digest, used by the command line and the admin upload alike.

Each file goes read -> split -> extract -> store in its own transaction, so a bad
file in a batch is reported and skipped while the rest go in, and nothing is ever
half-saved. The search index follows after each commit.
"""
import datetime
import hashlib
import logging
from pathlib import PurePath
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from digest.extract import get_extractor
from digest.extract.store import save_digest_mentions
from digest.models import Digest, RecommendedRead, Story
from digest.signals import announce_changed

from .dates import check_plausible, date_from_filename
from .document import ReadDocument, SplitDigest
from .errors import IngestError
from .readers import read_document
from .sources import InputFile
from .splitter import split_digest

logger = logging.getLogger(__name__)

PARSED, CREATED, DUPLICATE, REPLACED, ERROR = "parsed", "created", "duplicate", "replaced", "error"


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
        }


def ingest_inputs(inputs, *, date=None, replace=False, dry_run=False):
    """Ingest each input in turn; yields one IngestOutcome per input, errors included."""
    for item in inputs:
        yield ingest_input(item, date=date, replace=replace, dry_run=dry_run)


def ingest_input(item: InputFile, *, date=None, replace=False, dry_run=False, split=None) -> IngestOutcome:
    """`split`, when given, is the file's split as an editor corrected it (the upload's review):
    it is stored instead of splitting the file again; everything else goes the usual way."""
    if item.error:
        return IngestOutcome(item.name, ERROR, error=item.error)
    sha256 = hashlib.sha256(item.data).hexdigest()
    if not dry_run:
        existing = Digest.objects.filter(sha256=sha256).first()
        if existing:
            return _duplicate(item.name, existing)
    try:
        outcome = _parse(item, explicit_date=date, split=split)
        if dry_run:
            return outcome
        return _store(item, outcome, sha256, replace=replace)
    except IngestError as error:
        return IngestOutcome(item.name, ERROR, error=str(error))
    except Exception as error:
        # A bug must not cost the rest of the batch; the transaction has rolled back.
        logger.exception("Ingesting %s failed", item.name)
        return IngestOutcome(
            item.name, ERROR, error=f"unexpected failure, nothing was stored ({type(error).__name__}: {error})"
        )


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


def _parse(item, *, explicit_date, split=None):
    document = read_document(item.name, item.data)
    filename_date = date_from_filename(item.name)
    # A date known from outside the text gives its year to a title date written without one.
    split = split or split_digest(document, context=explicit_date or filename_date)
    # The splitter's date is the digest's own title or dateline, else the format's (Date header, <time>).
    date = split.date or explicit_date or filename_date
    if date is None:
        raise IngestError(
            "no publication date: the file states none; give one with --date (or the upload's date "
            "field) or put an ISO date such as 2014-11-26 in the file name"
        )
    where = "stated in the file" if split.date else "given with --date" if explicit_date else "in the file name"
    check_plausible(date, where)
    newsletter = (document.newsletter or "").strip()
    title = (document.title or split.title or "").strip() or (
        f"{newsletter or settings.DEFAULT_NEWSLETTER}, {date.day} {date:%B %Y}"
    )
    # The front matter without the line that became the title: the blurb, dateline, greeting, notes.
    intro = "\n\n".join(part for part in split.front_matter if part.strip() != title)
    extractor = get_extractor()
    entities = [extractor.extract(story.headline, story.paragraphs) for story in split.stories]
    return IngestOutcome(
        item.name,
        PARSED,
        split=split,
        date=date,
        title=title[:300],
        intro=intro,
        newsletter=newsletter[:200],
        document=document,
        entities=entities,
    )


def _store(item, outcome, sha256, *, replace):
    try:
        with transaction.atomic():
            digest, old_story_ids, status = _claim_digest(item, outcome, sha256, replace=replace)
            new_story_ids = _save_contents(digest, outcome)
            announce_changed(new_story_ids + old_story_ids)
    except IntegrityError:
        # Another process stored the same bytes or the same issue between our check and our insert.
        existing = Digest.objects.filter(sha256=sha256).first()
        if existing:
            return _duplicate(item.name, existing)
        raise IngestError(
            f"another digest of {outcome.newsletter or 'this newsletter'} for {outcome.date:%Y-%m-%d} "
            "was stored at the same moment; run the ingestion again to replace it"
        ) from None
    outcome.status = status
    outcome.digest = digest
    return outcome


def _claim_digest(item, outcome, sha256, *, replace):
    """The Digest row this file becomes: a new one, or the same-day issue it replaces."""
    fields = dict(
        title=outcome.title,
        intro=outcome.intro,
        file_name=PurePath(item.name).name[:255],  # a zip member's own name, not its path
        source_format=outcome.document.source_format,
        sha256=sha256,
        source_text=outcome.document.source_text,
    )
    current = (
        Digest.objects.select_for_update()
        .filter(newsletter=outcome.newsletter, date=outcome.date)
        .first()
    )
    if current is None:
        return Digest.objects.create(newsletter=outcome.newsletter, date=outcome.date, **fields), [], CREATED
    if not replace:
        raise IngestError(
            f"a different digest for {outcome.date:%Y-%m-%d} is already stored (from {current.file_name}); "
            "use --replace (or tick 'replace' in the upload) to replace it with this file"
        )
    old_story_ids = list(current.stories.values_list("pk", flat=True))
    current.stories.all().delete()
    current.recommended_reads.all().delete()
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    return current, old_story_ids, REPLACED


def _save_contents(digest, outcome):
    stories = Story.objects.bulk_create(
        Story(
            digest=digest,
            position=position,
            headline=story.headline[:500],
            body="\n\n".join(story.paragraphs),
            slug=slugify(story.headline)[:200] or "story",
        )
        for position, story in enumerate(outcome.split.stories, start=1)
    )
    RecommendedRead.objects.bulk_create(
        RecommendedRead(digest=digest, position=position, outlet=read.outlet[:200], title=read.title[:500], url=read.url)
        for position, read in enumerate(outcome.split.recommended_reads, start=1)
    )
    save_digest_mentions(stories, outcome.entities)
    return [story.pk for story in stories]
