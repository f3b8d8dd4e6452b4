"""Multi-pattern name matching with an Aho-Corasick automaton (pyahocorasick).

The automaton runs over a case-folded copy of the text; a hit counts only when it sits on
word boundaries and its case fits the registered form, so 'Raqqa' matches "Raqqa’s" but the
form 'IS' never matches the word "is"."""
import re
from bisect import insort
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick

# Keys added to a matcher go into a second automaton until they are this many (or a tenth of all).
MIN_MERGED = 1000
_QUOTES = str.maketrans("’‘`", "'''")
# A name may begin a hyphenated compound: "Beirut-based", "Hamas-linked", "ISIS-held".
COMPOUND = re.compile(
    r"-(based|linked|backed|led|held|allied|affiliated|aligned|controlled|run|dominated|funded|sponsored|"
    r"supported|inspired)\b",
    re.IGNORECASE,
)


# A word: a run of letters and digits (what on_word_boundaries calls alphanumeric).
WORD = re.compile(r"[^\W_]+")


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


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    surface: str
    value: object
    compound: str = ""  # the rest of the hyphenated compound the name begins: "based", "linked"


class NameMatcher:
    """Finds registered forms in text; `value` is whatever the caller registered for the form.

    The matcher reads `forms` at every hit, so its owner may change a form's value in place;
    forms added to the mapping afterwards are found once given to `add`. They go into a second,
    small automaton (a built one cannot take more words), merged into the first when it grows."""

    def __init__(self, forms):
        self._forms = forms
        self._by_key = by_fold(forms)
        self._automaton = _automaton(self._by_key)
        self._added = {}  # keys added since the first automaton was built
        self._added_automaton = None

    def add(self, forms):
        for form in forms:
            key = fold(form)
            if key not in self._by_key:
                self._by_key[key] = self._added[key] = []
            if form not in self._by_key[key]:
                # The automaton holds this very list: it sees the new form without being rebuilt.
                insort(self._by_key[key], form)
        if len(self._added) > max(MIN_MERGED, len(self._by_key) // 10):
            self._automaton, self._added = _automaton(self._by_key), {}
        self._added_automaton = _automaton(self._added)

    def find(self, text, folded=None):
        """All fitting hits, leftmost-longest, none overlapping. `folded` is fold(text), when the
        caller has it already."""
        if folded is None:
            folded = fold(text)
        hits = []
        for automaton in (self._automaton, self._added_automaton):
            for last, (length, forms) in automaton.iter(folded) if automaton else ():
                hit = fitting_hit(text, last - length + 1, last + 1, forms, self._forms)
                if hit:
                    hits.append(hit)
        return leftmost_longest(hits)


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


def leftmost_longest(hits):
    hits.sort(key=lambda hit: (hit.start, hit.start - hit.end))
    chosen, reached = [], 0
    for hit in hits:
        if hit.start >= reached:
            chosen.append(hit)
            reached = hit.end
    return chosen


class WordIndex:
    """Where each word starts in a text.

    A name's words are words of the text wherever it occurs, so its occurrences are found among the
    places where its rarest word stands, with the same checks as NameMatcher: names found one at a
    time (discovery) are looked up without another pass over the text for each."""

    def __init__(self, text, folded):
        self.text, self.folded = text, folded
        self._starts = defaultdict(list)
        for match in WORD.finditer(folded):
            self._starts[match.group()].append(match.start())

    def find(self, forms):
        """The hits NameMatcher(forms).find(text) gives."""
        hits = []
        for key, key_forms in by_fold(forms).items():
            for start in self._candidates(key):
                if self.folded.startswith(key, start):
                    hit = fitting_hit(self.text, start, start + len(key), key_forms, forms)
                    if hit:
                        hits.append(hit)
        return leftmost_longest(hits)

    def _candidates(self, key):
        """Where `key` may start: where its rarest word stands, less that word's offset in it."""
        words = [(len(self._starts.get(m.group(), ())), m.start(), m.group()) for m in WORD.finditer(key)]
        if not words:
            # A form without a letter or digit: every place it stands.
            starts, start = [], self.folded.find(key)
            while start >= 0:
                starts.append(start)
                start = self.folded.find(key, start + 1)
            return starts
        _, offset, word = min(words)
        return [start - offset for start in self._starts.get(word, ()) if start >= offset]
