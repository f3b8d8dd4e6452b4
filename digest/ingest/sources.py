"""Where digest files come from: paths on disk, directories, .zip archives, .mbox mailboxes, uploaded bytes.

Everything is turned into named byte payloads (InputFile) before any reading,
so one bad file is one InputFile with an error and the rest of a batch goes on.
Archives are untrusted: a member that would land outside the archive (absolute
or ".." path), an archive inside an archive, or an archive that unpacks past
the size limit is refused with its reason; sizes are counted while
decompressing, because a zip header can lie.

A mailbox is how editors export a mail folder of digests: each message becomes
one input named "inbox.mbox:3 Subject", which the readers read as an e-mail.
It is held to the same limits as a zip (messages, total and per-message size).
"""
import io
import mailbox
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path, PurePosixPath

ARCHIVE_EXTENSIONS = {".zip"}
MAILBOX_EXTENSIONS = {".mbox"}
# Members that are archives themselves are refused, whatever their content.
NESTED_ARCHIVE_EXTENSIONS = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".jar", ".zst", ".mbox"}
# "inbox.mbox:3 Subject" or "inbox.mbox:3": the name of one message of a mailbox.
MAILBOX_MESSAGE_NAME = re.compile(r"\.mbox:\d+(?: |$)", re.IGNORECASE)
# Enough of a subject to tell the messages of a mailbox apart in a list of results.
SUBJECT_CHARS = 60
ZIP_MAGIC = b"PK\x03\x04"
READ_CHUNK = 64 * 1024


@dataclass
class InputFile:
    """One file to ingest: its bytes, or why it cannot be had. Exactly one of data and error is set."""

    name: str
    data: bytes | None = None
    error: str | None = None


def iter_inputs(paths: Iterable, *, max_file_bytes: int, max_archive_bytes: int, max_members: int) -> Iterator[InputFile]:
    """The files named by `paths`: files as they are, directories recursively in name order, zips expanded."""
    limits = {"max_file_bytes": max_file_bytes, "max_archive_bytes": max_archive_bytes, "max_members": max_members}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file_path in _walk(path):
                yield from _from_disk(file_path, **limits)
        elif path.exists():
            yield from _from_disk(path, **limits)
        else:
            yield InputFile(str(path), error="no such file or directory")


def inputs_from_bytes(name: str, data: bytes, *, max_file_bytes: int, max_archive_bytes: int, max_members: int) -> Iterator[InputFile]:
    """An uploaded file: a .zip expands into its members, a .mbox into its messages, anything else is one InputFile."""
    container = _container(name, data[:4])
    if container and len(data) > max_archive_bytes:
        yield InputFile(name, error=_too_big(container, len(data), max_archive_bytes))
    elif container == "mailbox":
        # A mailbox is not compressed: its size, checked here, is the total of its messages.
        yield from _expand_mailbox(name, data, max_file_bytes=max_file_bytes, max_members=max_members)
    elif container:
        yield from _expand_zip(name, data, max_file_bytes=max_file_bytes, max_archive_bytes=max_archive_bytes, max_members=max_members)
    elif len(data) > max_file_bytes:
        yield InputFile(name, error=_too_big("file", len(data), max_file_bytes))
    else:
        yield InputFile(name, data=data)


def _walk(directory):
    """Regular files under `directory`, depth first in name order, hidden files and folders skipped."""
    for root, folders, files in os.walk(directory):
        folders[:] = sorted(folder for folder in folders if not folder.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _from_disk(path, **limits):
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield InputFile(name, error="not a regular file")
            return
        with path.open("rb") as handle:
            head = handle.read(4)
        container = _container(name, head)
        limit = limits["max_archive_bytes"] if container else limits["max_file_bytes"]
        if info.st_size > limit:
            yield InputFile(name, error=_too_big(container or "file", info.st_size, limit))
            return
        data = path.read_bytes()
    except OSError as error:
        yield InputFile(name, error=f"could not be read: {error.strerror or error}")
        return
    yield from inputs_from_bytes(name, data, **limits)


def _is_archive(name, head):
    """A .zip, or a zip without an extension; a .docx is a zip too, but the reader refuses it by its type."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix in ARCHIVE_EXTENSIONS or (suffix == "" and head.startswith(ZIP_MAGIC))


def _container(name, head):
    """"archive" or "mailbox" for a file that holds other files to expand, else None."""
    if PurePosixPath(name).suffix.lower() in MAILBOX_EXTENSIONS:
        return "mailbox"
    return "archive" if _is_archive(name, head) else None


def is_mailbox_message(name: str) -> bool:
    """Whether `name` is one message of a mailbox, whatever its subject ends in."""
    return MAILBOX_MESSAGE_NAME.search(name) is not None


def _expand_mailbox(mailbox_name, data, *, max_file_bytes, max_members):
    """One InputFile per message, or one error for the whole mailbox when it is none or holds too many."""
    if not data.startswith(b"From "):
        # The mailbox module skips whatever comes before the first "From " line: here, everything.
        yield InputFile(mailbox_name, error="not an mbox mailbox: it does not begin with a \"From \" line")
        return
    # The mailbox module reads only from a path, so an upload is written to a temporary file first.
    with tempfile.NamedTemporaryFile(suffix=".mbox") as copy:
        copy.write(data)
        copy.flush()
        box = mailbox.mbox(copy.name, create=False)
        try:
            keys = box.keys()
            if len(keys) > max_members:
                yield InputFile(mailbox_name, error=f"the mailbox holds {len(keys)} messages, more than the limit of {max_members}")
                return
            for number, key in enumerate(keys, start=1):
                yield _message_input(mailbox_name, number, box.get_bytes(key), max_file_bytes)
        finally:
            box.close()


def _message_input(mailbox_name, number, data, max_file_bytes):
    if len(data) > max_file_bytes:
        return InputFile(f"{mailbox_name}:{number}", error=_too_big("message", len(data), max_file_bytes))
    headers = BytesHeaderParser(policy=compat32).parsebytes(data)
    if not headers.keys():
        return InputFile(
            f"{mailbox_name}:{number}",
            error=f"message {number} of the mailbox has no e-mail headers (From, Subject, Date); the mailbox is damaged here",
        )
    subject = _subject(next((value for name, value in headers.raw_items() if name.lower() == "subject"), ""))
    return InputFile(f"{mailbox_name}:{number} {subject}".rstrip(), data=data)


def _subject(raw):
    """The decoded subject, shortened, with no slashes: the name's last path part stays the whole message name."""
    raw = raw[: SUBJECT_CHARS * 8]  # a hostile header can be huge; only its start is shown
    # Unencoded 8-bit bytes come out of the parser as surrogates; mailers that send them send UTF-8.
    raw = raw.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    try:
        text = str(make_header(decode_header(raw)))
    except (UnicodeError, LookupError, ValueError):
        text = raw
    text = " ".join(text.replace("/", "-").replace("\\", "-").split())
    return text if len(text) <= SUBJECT_CHARS else text[: SUBJECT_CHARS - 1].rstrip() + "\u2026"


def _expand_zip(archive_name, data, *, max_file_bytes, max_archive_bytes, max_members):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        # Not ZipInfo.is_dir(): it fails on a member whose name is empty, which _refusal() refuses.
        files = [info for info in archive.infolist() if not info.filename.endswith("/")]
        members = [info for info in files if not _skipped(info.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError) as error:
        yield InputFile(archive_name, error=f"not a readable zip archive ({error})")
        return
    if not members:
        # Said as an error of its own, so the command and the upload show a row for the archive.
        skipped = f"only hidden files and __MACOSX resource forks ({len(files)} skipped)" if files else "no files"
        yield InputFile(archive_name, error=f"the archive holds nothing to ingest: {skipped}")
        return
    if len(members) > max_members:
        yield InputFile(archive_name, error=f"the archive holds {len(members)} files, more than the limit of {max_members}")
        return
    unpacked = 0
    for info in sorted(members, key=lambda member: member.filename):
        name = f"{archive_name}:{info.filename}"
        refusal = _refusal(info)
        if refusal:
            yield InputFile(name, error=refusal)
            continue
        budget = min(max_file_bytes, max_archive_bytes - unpacked)
        try:
            content = _read_member(archive, info, budget)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
                EOFError, OSError) as error:
            yield InputFile(name, error=f"could not be unpacked ({error})")
            continue
        if content is None:
            if max_archive_bytes - unpacked < max_file_bytes:
                yield InputFile(name, error=f"the archive unpacks to more than {max_archive_bytes:,} bytes; unpacking stopped here")
                return
            yield InputFile(name, error=_too_big("file", None, max_file_bytes))
            continue
        unpacked += len(content)
        if content.startswith(ZIP_MAGIC):
            yield InputFile(name, error="an archive inside an archive is not opened; unpack it first")
            continue
        yield InputFile(name, data=content)


def _skipped(filename):
    """Hidden files and the resource forks macOS adds to archives are no one's digests."""
    return any(part.startswith(".") and part not in (".", "..") or part == "__MACOSX" for part in filename.split("/"))


def _refusal(info):
    """Why a member must not be unpacked, or None."""
    filename = info.filename.replace("\\", "/")
    if not filename:
        return "refused: the archive member has no name"
    if filename.startswith("/") or (len(filename) > 1 and filename[1] == ":"):
        return "refused: the archive member has an absolute path"
    if ".." in filename.split("/"):
        return "refused: the archive member's path climbs out of the archive ('..')"
    if PurePosixPath(filename).suffix.lower() in NESTED_ARCHIVE_EXTENSIONS:
        return "an archive inside an archive is not opened; unpack it first"
    if info.flag_bits & 0x1:
        return "refused: the archive member is encrypted"
    return None


def _read_member(archive, info, budget):
    """A member's bytes, or None when it decompresses to more than `budget` bytes (counted, not trusted from the header)."""
    if info.file_size > budget:
        return None
    chunks, size = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(READ_CHUNK):
            size += len(chunk)
            if size > budget:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def _too_big(what, size, limit):
    stated = f" ({size:,} bytes)" if size is not None else ""
    return f"the {what} is too large{stated}: the limit is {limit:,} bytes"
