"""Recommended reads' links, checked and normalised before they are stored.

A link is kept only when the admin's own URL field would accept it, so a stored digest can
always be saved again in the admin: http or https, a real host, no space or line break, at
most RecommendedRead.url's length. Characters a URL may not hold as they are (quotes, angle
brackets, non-ASCII letters) are percent-encoded and an international host is written in
its ASCII (IDNA) form. A read whose link fails keeps its outlet and title, without the link,
and the ingestion report says why.
"""
from urllib.parse import quote, urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError

MAX_URL_CHARS = 2000  # RecommendedRead.url
# Characters with a meaning in a URL (RFC 3986 reserved and unreserved) and existing %-escapes stay as they are.
URL_SAFE = "/?#[]@!$&'()*+,;=:-._~%"
_admin_field = forms.URLField(max_length=MAX_URL_CHARS, assume_scheme="https")


def normalise_url(url: str) -> str:
    """`url` as stored, or ValueError with the reason it cannot be a link."""
    url = url.strip()
    if any(c.isspace() for c in url):
        raise ValueError("it contains a space or a line break")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise ValueError("it is not a valid web address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("only http and https links are kept")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"its host name “{host[:60]}” is not valid") from None
    if parts.username or parts.password:
        raise ValueError("it carries a user name or password")
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    normalised = urlunsplit((scheme, netloc, *(quote(part, safe=URL_SAFE) for part in parts[2:])))
    if len(normalised) > MAX_URL_CHARS:
        raise ValueError(f"it is {len(normalised):,} characters long; at most {MAX_URL_CHARS:,} are stored")
    try:
        _admin_field.clean(normalised)
    except ValidationError:
        raise ValueError("it is not a valid web address") from None
    return normalised


def check_read_links(reads) -> list[str]:
    """Normalise each read's url in place, dropping the links that fail; a note for each one dropped."""
    notes = []
    for position, read in enumerate(reads, start=1):
        if not read.url:
            continue
        try:
            read.url = normalise_url(read.url)
        except ValueError as reason:
            notes.append(f"recommended read {position} ({read.outlet}: {read.title[:60]}) is kept without its link: {reason}")
            read.url = None
    return notes
