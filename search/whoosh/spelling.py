"""Spelling suggestions from the index's own words, by symmetric deletion.

Each segment keeps a table of its words found in two or more stories, under each word and its
one-letter deletions; a word of a query that no story has is replaced by the closest of them.
"""
from django.utils.encoding import force_str

from search.text import STOP, WORD, fold


def spelling_table(reader, fieldname):
    """Each word of the segment found in two or more stories, under itself and its one-letter
    deletions (the most frequent word per key)."""
    table, best = {}, {}
    for tbytes, info in reader.iter_field(fieldname):
        df = info.doc_frequency()
        if df < 2:
            continue
        word = tbytes.decode("utf-8")
        for variant in deletions(word):
            if best.get(variant, 0) < df:
                table[variant], best[variant] = word, df
    return table


def suggestion(view, fieldname, spelling_query):
    """The query with each word the index lacks replaced by its likeliest correction."""
    searcher, changed = view.searcher, False

    def corrected(match):
        nonlocal changed
        token, word = match.group(), fold(match.group())
        if len(word) < 3 or word in STOP or token in ("AND", "OR", "NOT"):
            return token
        if searcher.doc_frequency(fieldname, word):
            return token
        replacement = correct(view, fieldname, word)
        changed = changed or replacement is not None
        return replacement or token

    suggested = WORD.sub(corrected, force_str(spelling_query))
    return suggested if changed else None


def correct(view, fieldname, word):
    """The closest indexed word (at most two edits), the more frequent of equals.

    Candidates come from each segment's table of words with one letter
    deleted, matched against the word with one letter deleted: symmetric
    deletion, which finds every substitution, insertion, deletion and
    transposition and, combined, most two-edit misspellings.
    """
    variants = deletions(word)
    candidates = set()
    for leaf in view.leaves:
        table = leaf.tables.spelling(leaf.reader, fieldname)
        candidates.update(table[v] for v in variants if v in table)
    scored = [(edit_distance(c, word), -view.searcher.doc_frequency(fieldname, c), c) for c in candidates]
    scored = [s for s in scored if s[0] <= 2]
    return min(scored)[2] if scored else None


def deletions(word):
    """The word and every form of it with one letter deleted."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]

