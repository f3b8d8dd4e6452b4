"""An admin upload held for review: staged (read and split, nothing stored), corrected by the
editor (the split, and the date of a file that states none or one misread), then stored through
the ingestion service with the corrected split.

A staged upload lives in the database (StagedUpload, StagedFile), so the preview and the
store may be served by different processes. Stored files leave it at once; the upload goes
when its last file does, or a day after it was made.
"""
import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from digest.models import StagedFile, StagedUpload
from digest.signals import batched_changes

from .corrections import CorrectionError, apply_correction, fingerprint
from .dates import check_plausible
from .errors import DateError
from .serialise import split_as_json, split_from_json
from .service import CREATED, DUPLICATE, ERROR, REPLACED, IngestOutcome, ingest_input
from .sources import InputFile

STAGED_FOR = datetime.timedelta(days=1)


def live_uploads():
    """Staged uploads not yet expired."""
    return StagedUpload.objects.filter(created_at__gte=timezone.now() - STAGED_FOR)


def remove_expired():
    """Forget uploads staged more than a day ago and never stored."""
    StagedUpload.objects.filter(created_at__lt=timezone.now() - STAGED_FOR).delete()


def stage_upload(inputs, *, date=None, replace=False, user=None) -> StagedUpload:
    """Read and split every input (a file that cannot be read is kept with its reason) and hold
    them for review; nothing reaches the archive."""
    remove_expired()
    files = [_staged_file(position, item, date) for position, item in enumerate(inputs, start=1)]
    with transaction.atomic():
        upload = StagedUpload.objects.create(date=date, replace=replace, uploaded_by=user)
        for staged in files:
            staged.upload = upload
        StagedFile.objects.bulk_create(files)
    return upload


def _staged_file(position, item, date):
    if item.error:
        return StagedFile(position=position, name=item.name[:1000], error=item.error)
    outcome = ingest_input(item, date=date, dry_run=True)
    split = outcome.split if outcome.ok else outcome.split_without_date
    if split is None:
        return StagedFile(position=position, name=item.name[:1000], error=outcome.error)
    # A file whose only fault is its date stays, with the reason, for the editor to give the date.
    return StagedFile(
        position=position,
        name=item.name[:1000],
        data=item.data,
        sha256=hashlib.sha256(item.data).hexdigest(),
        split=split_as_json(split),
        date=outcome.date,
        title=outcome.title or "",
        newsletter=outcome.newsletter,
        error="" if outcome.ok else outcome.error,
    )


def correct_staged_file(staged: StagedFile, action, story, paragraph=None, headline="", seen=None) -> StagedFile:
    """Apply one correction to a staged file's split. `seen` is the fingerprint of the split the
    editor looked at: a correction meant for another version of it is refused."""
    with transaction.atomic():
        staged = StagedFile.objects.select_for_update().defer("data").get(pk=staged.pk)
        if staged.split is None:
            raise CorrectionError(f"{staged.name} could not be read, so there is no split to correct")
        split = split_from_json(staged.split)
        if seen is not None and seen != fingerprint(split):
            raise CorrectionError(
                f"the split of {staged.name} changed since this page was shown (another tab, or a second click); "
                "here it is as it is now"
            )
        staged.split = split_as_json(apply_correction(split, action, story, paragraph, headline))
        staged.save(update_fields=["split"])
    return staged


def date_staged_file(staged: StagedFile, date: datetime.date) -> StagedFile:
    """Give a staged file its publication date, when it states none or one misread: it is stored
    with this date, whatever the file says."""
    try:
        check_plausible(date, "given on the review page")
    except DateError as error:
        raise CorrectionError(str(error)) from None
    with transaction.atomic():
        staged = StagedFile.objects.select_for_update().defer("data").get(pk=staged.pk)
        if staged.split is None:
            raise CorrectionError(f"{staged.name} could not be read, so there is nothing to date")
        split = split_from_json(staged.split)
        split.date = date  # the split's date comes before any other when the file is stored
        staged.split, staged.date = split_as_json(split), date
        staged.error = ""  # the date was what was wrong, or storing will say again what is
        staged.save(update_fields=["split", "date", "error"])
    return staged


def reset_staged_file(staged: StagedFile) -> StagedFile:
    """Undo every correction, the date too: the file as it was staged."""
    if staged.data is None:
        raise CorrectionError(f"{staged.name} could not be read, so there is no split to start again from")
    again = _staged_file(staged.position, InputFile(staged.name, bytes(staged.data), None), staged.upload.date)
    for name in ("split", "date", "title", "newsletter", "error"):
        setattr(staged, name, getattr(again, name))
    staged.save(update_fields=["split", "date", "title", "newsletter", "error"])
    return staged


def discard_staged_file(staged: StagedFile) -> None:
    """Leave a file of the upload out; the upload goes with its last file."""
    with transaction.atomic():
        upload = staged.upload
        staged.delete()
        if not upload.files.exists():
            upload.delete()


def store_staged_upload(upload: StagedUpload, *, replace=None) -> list[IngestOutcome]:
    """Store every readable file of the upload with its corrected split, each in its own
    transaction; one IngestOutcome per file, in order. Stored files and duplicates leave the
    upload; a file that could not be stored stays, with the reason, for another try (with
    `replace`, say); an unreadable one is reported and dropped."""
    if replace is not None and replace != upload.replace:
        upload.replace = replace
        upload.save(update_fields=["replace"])
    outcomes = []
    with batched_changes():
        for staged in upload.files.all():
            if staged.split is None:
                outcomes.append(IngestOutcome(staged.name, ERROR, error=staged.error))
                staged.delete()
                continue
            item = InputFile(staged.name, bytes(staged.data), None)
            outcome = ingest_input(item, date=upload.date, replace=upload.replace, split=split_from_json(staged.split))
            outcomes.append(outcome)
            if outcome.status in (CREATED, REPLACED, DUPLICATE):
                staged.delete()
            else:
                staged.error = outcome.error
                staged.save(update_fields=["error"])
    if not upload.files.exists():
        upload.delete()
    return outcomes
