"""Multi-pattern name matching with an Aho-Corasick automaton (pyahocorasick).

The automaton runs over a case-folded copy of the text; a hit counts only when it sits on
word boundaries and its case fits the registered form, so 'Raqqa' matches "Raqqa’s" but the
form 'IS' never matches the word "is"."""
import re
from bisect import insort
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from .patterns import UPPER

# Keys added to a matcher go into smaller automata, each at least GROWTH times the size of the
# next, merged as they fill like the digits of a counter, so that a key is built into one about
# log(added keys) times, not at every addition (a build costs a few milliseconds per thousand
# keys). The added keys join the first automaton once more than MERGE_AT of them, and more than a
# quarter as many as it holds, are added.
MERGE_AT = 2000
GROWTH = 4
_QUOTES = str.maketrans("’‘`", "'''")
# A name may begin a hyphenated compound: "Beirut-based", "Hamas-linked", "ISIS-held".
COMPOUND = re.compile(
    r"-(based|linked|backed|led|held|allied|affiliated|aligned|controlled|run|dominated|funded|sponsored|"
    r"supported|inspired)\b",
    re.IGNORECASE,
)


# A capitalised word: a run of letters and digits (what on_word_boundaries calls alphanumeric),
# not inside another, beginning with a capital. The capital comes first and what stands before it
# is checked after it, so that a search skips to the capitals (a leading look-behind made it try
# every position of the text: twice as slow).
CAPITALISED_WORD = re.compile(rf"[{UPPER}](?<![^\W_].)[^\W_]*")


def plain_quotes(text):
    """text.translate(_QUOTES), many times faster on a long text."""
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


def fold(text):
    """Lower-case with typographic apostrophes made plain, keeping every offset."""
    text = plain_quotes(text)
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    # The few characters whose lower case is longer ("İ") stay as they are.
    longer = "".join(c for c in set(text) if len(c.lower()) != 1)
    parts = re.split(f"([{re.escape(longer)}])", text)
    return "".join(part if i % 2 else part.lower() for i, part in enumerate(parts))


def on_word_boundaries(text, start, end):
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-")


def compound_after(text, end):
    """'based' for "Beirut-based"; '' when the name does not begin a compound."""
    match = COMPOUND.match(text, end)
    return match.group(1).lower() if match else ""


def case_fits(form, surface):
    """A one-word form must match exactly. A longer one may be capitalised more than the form
    (title-case headlines) but not less, except for one slip in a long name ("Syrian Observatory
    for Human rights"); so "Russia today" is not the outlet Russia Today."""
    if surface == form or surface.translate(_QUOTES) == form.translate(_QUOTES):
        return True
    if " " not in form:
        return False
    capitals = [(f, s) for f, s in zip(form.split(), surface.split()) if f[0].isupper()]
    slips = sum(1 for f, s in capitals if not s[0].isupper())
    return slips == 0 or (slips == 1 and len(capitals) >= 3 and capitals[0][1][0].isupper())


class Hit(NamedTuple):
    """A tuple, not a frozen dataclass: a story gives a hundred or more, and a tuple is made several times faster."""

    start: int
    end: int
    surface: str
    value: object
    compound: str = ""  # the rest of the hyphenated compound the name begins: "based", "linked"


class NameMatcher:
    """Finds registered forms in text; `value` is whatever the caller registered for the form.

    The matcher reads `forms` at every hit, so its owner may change a form's value in place;
    forms added to the mapping afterwards are found once given to `add`. They go into smaller
    automata (a built one cannot take more words), merged as they grow (MERGE_AT); each key is in
    exactly one automaton."""

    def __init__(self, forms):
        self._forms = forms
        self._by_key = by_fold(forms)
        self._first_keys = len(self._by_key)
        self._automaton = _automaton(self._by_key)
        self._levels = []  # [(keys added since the first automaton was built, their automaton)], larger first

    def add(self, forms):
        new = {}
        for form in forms:
            key = fold(form)
            if key not in self._by_key:
                self._by_key[key] = new[key] = []
            if form not in self._by_key[key]:
                # The automaton holds this very list: it sees the new form without being rebuilt.
                insort(self._by_key[key], form)
        if not new:
            return
        while self._levels and len(self._levels[-1][0]) < GROWTH * len(new):
            new = {**self._levels.pop()[0], **new}
        if len(new) > max(MERGE_AT, self._first_keys // 4):
            self._automaton, self._levels = _automaton(self._by_key), []
            self._first_keys = len(self._by_key)
        else:
            self._levels.append((new, _automaton(new)))

    def find(self, text, folded=None):
        """All fitting hits, leftmost-longest, none overlapping. `folded` is fold(text), when the
        caller has it already."""
        if folded is None:
            folded = fold(text)
        found = []
        for automaton in (self._automaton, *(automaton for _, automaton in self._levels)):
            for last, (length, forms) in automaton.iter(folded) if automaton else ():
                start = last - length + 1
                # Most keys found inside a word ("is" in "crisis") fail here, before any other check.
                if start and (text[start - 1].isalnum() or text[start - 1] == "-"):
                    continue
                found.append((start, last + 1, forms))
        return leftmost_longest(text, found, self._forms)


def _automaton(by_key):
    if not by_key:
        return None
    automaton = ahocorasick.Automaton()
    for key, forms in by_key.items():
        automaton.add_word(key, (len(key), forms))
    automaton.make_automaton()
    return automaton


def by_fold(forms):
    """{folded form: its forms}, in one order whatever the order the forms came in: where two fit
    the text, the first is taken."""
    by_key = {}
    for form in forms:
        by_key.setdefault(fold(form), []).append(form)
    for key_forms in by_key.values():
        key_forms.sort()
    return by_key


def fitting_hit(text, start, end, forms, values):
    """The hit of the first of `forms` that fits the text at [start, end), if any."""
    compound = ""
    if not on_word_boundaries(text, start, end):
        compound = compound_after(text, end)
        if not (compound and on_word_boundaries(text, start, end + 1 + len(compound))):
            return None
    surface = text[start:end]
    for form in forms:
        if case_fits(form, surface):
            return Hit(start, end, surface, values[form], compound)
    return None


def leftmost_longest(text, found, values):
    """The fitting hits among `found` ((start, end, forms) of each key found, no two of one key at
    one place), leftmost-longest, none overlapping. A key is checked against the text only where no
    hit chosen before covers it: a name's shorter keys ("washington" in "the washington post")
    are not."""
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    chosen, reached = [], 0
    for start, end, forms in found:
        if start >= reached:
            hit = fitting_hit(text, start, end, forms, values)
            if hit:
                chosen.append(hit)
                reached = end
    return chosen


class WordIndex:
    """Where each capitalised word starts in a text.

    Where a name fits the text (case_fits), its first capitalised word is capitalised too, and all
    of them are when it has fewer than three; so the name's occurrences are found among the places
    where that word (or the rarest of them) stands, with the same checks as NameMatcher. Names
    found one at a time (discovery) are looked up without another pass over the text for each."""

    def __init__(self, text, folded):
        self.text, self.folded = text, folded
        self._starts = defaultdict(list)
        for match in CAPITALISED_WORD.finditer(text):
            start, end = match.span()
            self._starts[folded[start:end]].append(start)

    def find(self, forms):
        """The hits NameMatcher(forms).find(text) gives."""
        found = [
            (start, start + len(key), key_forms)
            for key, key_forms in by_fold(forms).items()
            for start in self._candidates(key, key_forms)
            if self.folded.startswith(key, start)
        ]
        return leftmost_longest(self.text, found, forms)

    def _candidates(self, key, forms):
        """Where `key`, written as one of `forms`, may start."""
        starts = set()
        for form in forms:
            anchor = self._anchor(form, key)
            if anchor is None:
                return self._everywhere(key)
            offset, word = anchor
            starts.update(start - offset for start in self._starts.get(word, ()))
        return starts

    def _anchor(self, form, key):
        """(offset, folded word) of a word of `form` that every fitting surface capitalises as the
        index does, the rarest in the text; None when the form has none."""
        anchors = _anchors(form, key)
        if anchors is None:
            return None
        return min(anchors, key=lambda anchor: len(self._starts.get(anchor[1], ())))

    def _everywhere(self, key):
        starts, start = [], self.folded.find(key)
        while start >= 0:
            starts.append(start)
            start = self.folded.find(key, start + 1)
        return starts


@lru_cache(maxsize=4096)
def _anchors(form, key):
    """(offset, folded word) of each word of `form` that every fitting surface capitalises as
    WordIndex does; None when the form has none. Kept: story after story looks up the same names."""
    words = [match for match in re.finditer(r"\S+", form) if match.group()[0].isupper()]
    if not words or not all(CAPITALISED_WORD.match(form, word.start()) for word in words):
        return None
    if len(words) >= 3:
        words = words[:1]  # one of the others may be written in lower case
    runs = [CAPITALISED_WORD.match(form, word.start()) for word in words]
    return tuple((run.start(), key[run.start():run.end()]) for run in runs)
