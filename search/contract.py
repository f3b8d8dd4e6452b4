"""What every search engine behind haystack promises the archive, whichever SEARCH_URL selects.

An engine answers, refuses, or fails:

* A refusal is a QueryNotSearchable: the query cannot be searched as typed, and the message,
  written here once for every engine, tells the person why. It is a SearchError too, so the
  page and the API answer it with 400 and the message.
* Anything else an engine raises is a failure of ours, not the user's: search.query logs the
  engine's own text (hosts, ports, paths, tracebacks) and raises EngineUnavailable, which the
  page and the API answer with 503 and ENGINE_UNAVAILABLE, never the engine's words.
* An IndexDamaged is a failure with a known cure: the engine's index is damaged (files missing
  or cut short) and must be rebuilt from the database. It is answered with 503 and
  INDEX_DAMAGED, never with an empty result; `check_index` reports it and `check_index --fix`
  rebuilds the index.

The limits below are the same on every engine, and so are the operators: the query syntax
is Lucene's, plus two Whoosh operators: `lucene_operators` rewrites ANDNOT for engines that
speak only Lucene and refuses ANDMAYBE there.
"""
import re

from haystack.exceptions import SearchBackendError

from .results import SearchError

# A query may name at most this many terms (a pasted page must not read thousands of posting
# lists); a wildcard may expand to at most this many words; a wildcard needs letters before it.
MAX_QUERY_TERMS = 64
MAX_EXPANSION = 512
MIN_PREFIX_CHARS = 2
# Stories per index commit: each commit writes a segment, so bulk updates write a few large ones.
INDEX_BATCH = 5000

ENGINE_UNAVAILABLE = "The search engine could not answer just now. Please try again in a moment."
INDEX_DAMAGED = ("Search is unavailable: the search index is damaged and must be rebuilt from the archive. "
                 "The digests and stories can still be read; an administrator has been told.")
NO_SEARCHABLE_WORDS = "The query has no searchable words (only very common words or punctuation)."
TOO_MANY_TERMS = f"The query has more than {MAX_QUERY_TERMS} terms; please shorten it."
UNREADABLE_QUERY = "The query could not be understood; check its quotes, brackets and operators."
LONE_WILDCARD = "A lone * cannot be searched; leave the query empty to browse every story."
LEADING_WILDCARD = (
    "“{word}”: put at least {letters} letters before a wildcard, as in Al*; it cannot start a word."
)
TOO_MANY_EXPANSIONS = "“{word}” matches too many words; please type more letters."
NOT_A_FIELD = "“{name}:” cannot be searched; use words, \"phrases\" or headline:."
CANNOT_NARROW = "Cannot narrow by {narrow!r}."

ANDMAYBE_UNSUPPORTED = "ANDMAYBE cannot be searched on this engine; write the words it joins with AND or OR."

QUERY_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_PHRASE = re.compile(r'"[^"]*"')
_QUERY_TOKEN = re.compile(r"[()]|[^\s()]+")
_FIELD_PREFIX = re.compile(r"^[A-Za-z_]+:")
_WILDCARD = re.compile(r"[*?]")
_FIELD_NAME = re.compile(r"(\w+):")
# Outside phrases: the Whoosh operators a Lucene engine would read as plain words.
_WHOOSH_OPERATOR = re.compile(r'"[^"]*"|\b(ANDNOT|ANDMAYBE)\b')


class QueryNotSearchable(SearchError, SearchBackendError):
    """A query an engine refuses; the message is meant for the person who typed it (400)."""


class EngineUnavailable(Exception):
    """An engine failed to answer; the engine's own text is in the log, never in a page (503).
    Its message is one of ours, for the person who searched."""

    def __init__(self, message=ENGINE_UNAVAILABLE):
        super().__init__(message)


class IndexDamaged(SearchBackendError):
    """The engine's index is damaged; the message says how, for the log and `check_index`."""


def query_tokens(query: str) -> list[str]:
    """The query's brackets, operators and words (field prefixes kept); a phrase is one "PHRASE"."""
    return _QUERY_TOKEN.findall(_PHRASE.sub(" PHRASE ", query))


def check_wildcards(token: str) -> None:
    """Refuse a word that starts with a wildcard: it makes every engine scan its whole vocabulary."""
    word = _FIELD_PREFIX.sub("", token)
    if word == "*":
        raise QueryNotSearchable(LONE_WILDCARD)
    match = _WILDCARD.search(word)
    if match and match.start() < MIN_PREFIX_CHARS:
        raise QueryNotSearchable(LEADING_WILDCARD.format(word=word, letters=MIN_PREFIX_CHARS))


def check_query_wildcards(query: str) -> None:
    """check_wildcards for every word of a query, phrases aside (nothing in a phrase is a wildcard)."""
    for token in query_tokens(query):
        if token not in QUERY_OPERATORS and token not in ("(", ")"):
            check_wildcards(token)


def check_query_fields(query: str, known, searchable) -> None:
    """Refuse a `field:` the index has but does not search (body, fingerprint, ids), phrases aside."""
    for name in _FIELD_NAME.findall(_PHRASE.sub(" ", query)):
        if name in known and name not in searchable:
            raise QueryNotSearchable(NOT_A_FIELD.format(name=name))


def check_term_count(count: int) -> None:
    if count > MAX_QUERY_TERMS:
        raise QueryNotSearchable(TOO_MANY_TERMS)


def lucene_operators(query: str) -> str:
    """The query in Lucene's own syntax: "a ANDNOT b" is "a AND NOT b"; ANDMAYBE, which Lucene
    cannot say under the archive's AND default, is refused rather than searched as a word."""

    def translated(match):
        if match[1] is None:  # a phrase, kept as typed
            return match[0]
        if match[1] == "ANDMAYBE":
            raise QueryNotSearchable(ANDMAYBE_UNSUPPORTED)
        return "AND NOT"

    return _WHOOSH_OPERATOR.sub(translated, query)
