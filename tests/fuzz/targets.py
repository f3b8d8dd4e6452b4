"""What the fuzzer feeds each reader: bytes in, then a digest or the reader's clear refusal out.

One target per reader, each the path an uploaded file takes before it is stored: read it, split
it, check its reads' links. A crash is
any exception other than IngestError (and, for a zip, any member that is neither bytes nor a
refusal). tests/test_fuzz_corpus.py runs every input kept in tests/fuzz/<reader>/ through the
same targets, so a crash once found stays fixed; tests/fuzz/run.py drives them with atheris.
"""
from django.conf import settings

from digest.ingest.errors import IngestError
from digest.ingest.links import check_read_links
from digest.ingest.readers import read_document
from digest.ingest.readers.eml import EmailReader
from digest.ingest.readers.html import HtmlReader
from digest.ingest.readers.markdown import MarkdownReader
from digest.ingest.readers.plaintext import PlainTextReader
from digest.ingest.sources import inputs_from_bytes
from digest.ingest.splitter import split_digest


def _split(read, data):
    try:
        split = split_digest(read(data))
    except IngestError as error:
        if not str(error):
            raise AssertionError("IngestError without a reason") from error
        return
    if not split.stories:
        raise AssertionError("a digest without stories")
    check_read_links(split.recommended_reads)


def _reader_target(reader):
    def target(data: bytes) -> None:
        _split(reader.read, data)
    return target


def _zip_target(data: bytes) -> None:
    limits = {"max_file_bytes": settings.INGEST_MAX_FILE_BYTES, "max_archive_bytes": settings.INGEST_MAX_ARCHIVE_BYTES,
              "max_members": settings.INGEST_MAX_ARCHIVE_MEMBERS}
    for item in inputs_from_bytes("upload.zip", data, **limits):
        if (item.data is None) == (item.error is None):
            raise AssertionError(f"{item.name}: neither bytes nor a refusal, or both")
        if item.data is not None:
            _split(lambda member: read_document(item.name, member), item.data)


TARGETS = {
    "text": _reader_target(PlainTextReader()),
    "html": _reader_target(HtmlReader()),
    "email": _reader_target(EmailReader()),
    "markdown": _reader_target(MarkdownReader()),
    "zip": _zip_target,
}
