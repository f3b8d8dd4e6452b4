"""Where digest files come from: paths on disk, directories, .zip archives, uploaded bytes.

Everything is turned into named byte payloads (InputFile) before any reading,
so one bad file is one InputFile with an error and the rest of a batch goes on.
Archives are untrusted: a member that would land outside the archive (absolute
or ".." path), an archive inside an archive, or an archive that unpacks past
the size limit is refused with its reason; sizes are counted while
decompressing, because a zip header can lie.
"""
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ARCHIVE_EXTENSIONS = {".zip"}
# Members that are archives themselves are refused, whatever their content.
NESTED_ARCHIVE_EXTENSIONS = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".jar", ".zst"}
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
    """An uploaded file: a .zip expands into its members, anything else is one InputFile."""
    if _is_archive(name, data[:4]):
        if len(data) > max_archive_bytes:
            yield InputFile(name, error=_too_big("archive", len(data), max_archive_bytes))
            return
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
        archive = _is_archive(name, head)
        limit = limits["max_archive_bytes"] if archive else limits["max_file_bytes"]
        if info.st_size > limit:
            yield InputFile(name, error=_too_big("archive" if archive else "file", info.st_size, limit))
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


def _expand_zip(archive_name, data, *, max_file_bytes, max_archive_bytes, max_members):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir() and not _skipped(info.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        yield InputFile(archive_name, error=f"not a readable zip archive ({error})")
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
