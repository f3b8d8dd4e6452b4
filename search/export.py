"""A search's every match as CSV rows, for a spreadsheet: one engine chunk and one database read at a time.

The engine says which stories match and in what order, with each one's address and snippet; the
database, read once per chunk, gives what the row shows (headline, date, entities) as it stands now. A
story the index still holds but the database no longer does keeps the index's own values, so
the file has exactly as many rows as the search has matches.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula
("CSV injection"); such a cell is written with a leading apostrophe, which spreadsheets show
as text and hide.
"""
import csv
import html
import re

from digest.models import Entity, Mention, Story

from .results import Hit

COLUMNS = ("id", "url", "digest_date", "headline", "places", "actors", "sources", "snippet")
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Stories per engine request and per database read: memory is that of one chunk.
CHUNK = 1000
_MARK = re.compile(r"</?mark>")
_KIND_COLUMN = {Entity.PLACE: "places", Entity.ACTOR: "actors", Entity.SOURCE: "sources"}


class Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value):
        return value


def neutralised(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def plain_snippet(snippet: str) -> str:
    """The snippet's text: search snippets are escaped text with <mark> around matches."""
    return html.unescape(_MARK.sub("", snippet))


def csv_lines(chunks, absolute_url):
    """The header, then one CSV line per hit in `chunks` (lists of Hits); `absolute_url(path)` makes links whole."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)  # the byte-order mark makes spreadsheets read UTF-8
    for chunk in chunks:
        stored = _stored_rows([hit.id for hit in chunk])
        for hit in chunk:
            row = stored.get(hit.id) or _indexed_row(hit)
            yield writer.writerow([
                str(hit.id),
                absolute_url(hit.url),
                row["digest_date"],
                *(neutralised(row[name]) for name in COLUMNS[3:7]),
                neutralised(plain_snippet(hit.snippet)),
            ])


def _stored_rows(story_ids) -> dict[int, dict]:
    """Each story's row values as the database holds them: two queries of plain tuples for a whole chunk."""
    rows = {
        pk: {"digest_date": date.isoformat(), "headline": headline, **{column: [] for column in _KIND_COLUMN.values()}}
        for pk, headline, date in Story.objects.filter(pk__in=story_ids).values_list("pk", "headline", "digest__date")
    }
    mentions = Mention.objects.filter(story_id__in=story_ids).values_list("story_id", "entity__kind", "entity__name")
    for story_id, kind, name in mentions:
        if story_id in rows:
            rows[story_id][_KIND_COLUMN[kind]].append(name)
    for row in rows.values():
        for column in _KIND_COLUMN.values():
            row[column] = LIST_SEPARATOR.join(sorted(set(row[column])))
    return rows


def _indexed_row(hit: Hit) -> dict:
    return {
        "digest_date": hit.digest_date.isoformat(),
        "headline": hit.headline,
        "places": LIST_SEPARATOR.join(hit.places),
        "actors": LIST_SEPARATOR.join(hit.actors),
        "sources": LIST_SEPARATOR.join(hit.sources),
    }
