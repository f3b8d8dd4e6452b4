"""Readers: one per input format, each turning a file's bytes into a ReadDocument.

`read_document` picks the reader by extension, and for files whose extension
says nothing (.txt, none) by looking at the content: an e-mail or an HTML page
saved as .txt is still read as what it is. A message taken out of a mailbox
("inbox.mbox:3 Subject") is an e-mail, whatever its subject ends in.
"""
from pathlib import PurePosixPath

from digest.ingest.document import ReadDocument
from digest.ingest.errors import IngestError
from digest.ingest.readers.eml import EmailReader
from digest.ingest.readers.html import HtmlReader
from digest.ingest.readers.markdown import MarkdownReader
from digest.ingest.readers.plaintext import PlainTextReader
from digest.ingest.sources import is_mailbox_message

READERS = [PlainTextReader(), HtmlReader(), EmailReader(), MarkdownReader()]
# Readers that may claim a file named like plain text, in the order they are tried.
SNIFFERS = [EmailReader(), HtmlReader()]
SNIFF_BYTES = 8192


def read_document(name: str, data: bytes) -> ReadDocument:
    """Read one file; IngestError says why a file cannot be read (empty, binary, undecodable, unsupported)."""
    extension = _extension(name)
    reader = next((reader for reader in READERS if extension in reader.extensions), None)
    if reader is None:
        supported = ", ".join(ext for reader in READERS for ext in reader.extensions if ext)
        raise IngestError(f"unsupported file type '{extension}': digests are read from {supported}")
    if isinstance(reader, PlainTextReader):
        head = data[:SNIFF_BYTES]
        reader = next((sniffer for sniffer in SNIFFERS if sniffer.sniff(head)), reader)
    return reader.read(data)


def _extension(name):
    """The extension of a file, or of the member part of an "archive.zip:member.txt" name."""
    if is_mailbox_message(name):
        return EmailReader.extensions[0]
    return PurePosixPath(name.replace("\\", "/").rsplit(":", 1)[-1]).suffix.lower()
