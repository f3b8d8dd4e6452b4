"""Words as the archive searches them, whatever the engine: tokens, folding, stop words, snippets.

The Whoosh backend indexes and parses with these functions; the Solr
configset mirrors them (its tokenizer pattern is WORD, its stop words
stopwords.txt, its folding table fold's), and both engines' results are
marked up by ``snippet``.
"""
import html
import re
import string
import unicodedata
from pathlib import Path

SNIPPET_CHARS = 240
WORD = re.compile(r"\w+(?:\.?\w+)*")
STOP = frozenset(Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8").split())
# What `words` drops from ASCII text once lower-cased: stop words and every one-character word.
_ASCII_DROPPED = STOP | frozenset(string.ascii_lowercase + string.digits + "_")
_folded: dict[str, str] = {}
# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe"})


def fold(token):
    """Lower-case a token and strip its accents ("Ḥomṣ" finds "Homs")."""
    folded = _folded.get(token)
    if folded is None:
        folded = token.lower()
        if not folded.isascii():
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", folded.translate(UNDECOMPOSED)) if not unicodedata.combining(c)
            )
        if len(_folded) < 500_000:
            _folded[token] = folded
        else:
            return folded
    return folded


def words(text):
    """The searchable words of a text, in order; one function for index and query."""
    if text.isascii():
        # Most text: folding ASCII is lower-casing, done once for the whole text instead of a
        # call per word (the analyser's main cost when indexing); lower-casing ASCII changes no
        # word boundary, so WORD finds the same words.
        return [w for w in WORD.findall(text.lower()) if w not in _ASCII_DROPPED]
    return [w for w in map(fold, WORD.findall(text)) if len(w) > 1 and w not in STOP]


def line_words(text):
    """Words per line: phrases never run from one line (paragraph, headline) into the next."""
    return [ws for ws in map(words, text.split("\n")) if ws]


def wildcard_pattern(term):
    """A folded word pattern ("kob*", "al?ppo") as the regular expression snippet() marks with."""
    return re.compile(re.escape(term).replace(r"\*", r"\w*").replace(r"\?", r"\w"))


def snippet(text, terms, width=SNIPPET_CHARS):
    """Escaped text around the densest run of query words, each wrapped in <mark>."""
    patterns = [t for t in terms if not isinstance(t, str)]
    words_of = {t for t in terms if isinstance(t, str)}
    if text.isascii() and not patterns:
        # The common case at C speed: the folded query words, case-insensitively, as whole words.
        alternatives = "|".join(map(re.escape, sorted(words_of, key=len, reverse=True)))
        found = re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w|\.\w)", re.IGNORECASE) if words_of else None
        hits = [(m.start(), m.end()) for m in found.finditer(text)] if found else []
    else:
        hits = [(m.start(), m.end()) for m in WORD.finditer(text)
                if fold(m.group()) in words_of or any(p.fullmatch(fold(m.group())) for p in patterns)]
    if not hits:
        start, end = 0, min(len(text), width)
    else:
        best = max(range(len(hits)), key=lambda i: (sum(1 for s, _ in hits[i:] if s < hits[i][0] + width), -i))
        start = hits[best][0]
        start = max(0, text.rfind(" ", 0, max(start - 40, 0)) + 1) if start > 40 else 0
        end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts, pos = [], start
    for s, e in hits:
        if s >= start and e <= end:
            parts += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
            pos = e
    parts.append(html.escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")
