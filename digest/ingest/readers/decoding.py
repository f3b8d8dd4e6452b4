"""Bytes to text, for every reader: refuse what is not text, find the encoding of what is.

Editors' files come from Windows mail clients, old Macs and web exports, so the
encoding is whatever the machine used. Detection is limited to the encodings
such English-language files are really written in: left free, charset-normalizer
reads short Windows-1252 text as Central European or Cyrillic and shows mojibake.
"""
import codecs
import re

from charset_normalizer import from_bytes

from digest.ingest.errors import IngestError

CANDIDATE_ENCODINGS = ["utf_8", "cp1252", "latin_1", "iso8859_15"]

# Labels that in practice mean Windows-1252: mail and web software writes
# "iso-8859-1" on text full of cp1252 curly quotes (browsers decode it so too).
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp819"}

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Magic numbers of the binary files people most often mistake for digests.
_SIGNATURES = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "a program"),
]

# Share of control characters (other than tab, newlines, form feed) above which
# decoded "text" is really binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """The text of a file, or IngestError saying why there is none.

    `declared` is a charset the container names (a MIME part's charset); it is
    tried first, then detection.
    """
    if not data.strip():
        raise IngestError("the file is empty")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise IngestError(f"this is {kind}, not a text file")
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise IngestError("this is a binary file (it contains NUL bytes), not a text file")
        text = _decode_declared(data, declared) or _decode_detected(data)
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise IngestError("this is a binary file (it is full of control characters), not a text file")
    if not text.strip():
        raise IngestError("the file is empty")
    return text


def _decode_with_bom(data):
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise IngestError(f"the file starts with a {encoding} byte-order mark but is not {encoding} text")
    return None


def _decode_declared(data, declared):
    if not declared:
        return None
    encoding = "cp1252" if declared.strip().lower() in _LATIN1_LABELS else declared
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _decode_detected(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise IngestError(
            "the text encoding could not be worked out (tried UTF-8, Windows-1252, Latin-1); "
            "save the file as UTF-8 and try again"
        )
    if best.encoding == "latin_1":
        # Same letters as cp1252 from 0xA0 up; below that Latin-1 has only control codes.
        return _decode_declared(data, "latin-1") or str(best)
    return str(best)
