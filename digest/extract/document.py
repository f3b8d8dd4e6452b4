"""The document the extraction steps pass along, and what extraction returns."""
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from .matcher import WordIndex, fold
from .records import EntityRecord


# Byte translations that count one span more or one less over the characters it covers.
_ONE_MORE = bytes(range(1, 256)) + b"\0"
_ONE_LESS = b"\xff" + bytes(range(255))


@dataclass(eq=False, slots=True)
class Span:
    """Where the text names something: one or more candidate entities, or a marker (stop, title, demonym).
    Each span is itself (spans compare and hash by identity), so a step removes exactly the ones it means.
    Slots: a long story makes some 100,000 spans, and the steps read their fields a million times."""

    start: int
    end: int
    surface: str
    candidates: tuple[EntityRecord, ...] = ()
    marker: str | None = None

    @property
    def entity(self):
        return self.candidates[0] if self.candidates else None


class StoryDoc:
    """A story under extraction. `body_start` is where the headline ends: title-case headlines
    are matched against known names but never used to discover new ones.

    Extraction stays linear in the story's length: spans are sorted when read, not on every add;
    which characters they cover and where each starts are indexed, so asking what lies on a
    stretch of the text costs the same in a long story as in a short one; and the names found one
    at a time are looked up in a word index of the text instead of scanning it again."""

    def __init__(self, text, body_start, spans=()):
        self.text = text
        self.body_start = body_start
        self.spans = spans

    @classmethod
    def from_story(cls, headline, paragraphs):
        return cls(text="\n".join([headline, *paragraphs]), body_start=len(headline) + 1)

    @cached_property
    def folded(self):
        """The text as the name matcher reads it, folded once for every step that looks names up."""
        return fold(self.text)

    @cached_property
    def words(self):
        return WordIndex(self.text, self.folded)

    @property
    def spans(self):
        """Every span in order of where it starts; spans starting together in the order they were added."""
        if self._removed:
            self._spans = [span for span in self._spans if span not in self._removed]
            self._removed = set()
        if not self._ordered:
            self._spans.sort(key=attrgetter("start"))
            self._ordered = True
        return self._spans

    @spans.setter
    def spans(self, spans):
        self._spans, self._removed, self._ordered = [], set(), True
        self._starting, self._longest = defaultdict(list), 0
        self._covered = bytearray(len(self.text))  # how many spans cover each character (a few at most)
        for span in spans:
            self.add(span)

    def add(self, span):
        start, end = span.start, span.end
        spans = self._spans
        if spans and start < spans[-1].start:
            self._ordered = False
        spans.append(span)
        self._starting[start].append(span)
        if end - start > self._longest:
            self._longest = end - start
        covered = self._covered
        covered[start:end] = covered[start:end].translate(_ONE_MORE)

    def remove(self, spans):
        for span in spans:
            self._starting[span.start].remove(span)
            self._removed.add(span)
            self._covered[span.start:span.end] = self._covered[span.start:span.end].translate(_ONE_LESS)

    def is_free(self, start, end):
        return self._covered.count(0, start, end) == end - start

    def overlapping(self, start, end):
        """The spans that overlap [start, end), in the order of `spans`."""
        if self.is_free(start, end):
            return []
        # A span that starts before `start` and reaches it covers every character in between.
        first = self._covered.rfind(0, max(0, start - self._longest + 1), start) + 1
        first = max(first, start - self._longest + 1, 0)
        return [
            span
            for position in range(first, end)
            for span in self._starting.get(position, ())
            if span.end > start
        ]

    def find(self, forms):
        """What NameMatcher(forms).find(text) finds, from the word index instead of a pass over the text."""
        return self.words.find(forms)


@dataclass
class StoryEntities:
    entities: list[EntityRecord]  # each with the forms the story names it by

    def of_kind(self, kind):
        return [entity for entity in self.entities if entity.kind == kind]

    def as_json(self):
        actors = self.of_kind("actor")
        return {
            "places": [e.name for e in self.of_kind("place")],
            "actors": [e.name for e in actors],
            "sources": [e.name for e in self.of_kind("source")],
            "actor_types": {e.name: e.actor_type for e in actors},
        }


def collect(doc):
    """The last step: one record per entity, in order of first mention, with its surface forms."""
    found, forms = {}, {}
    for span in doc.spans:
        known = span.entity
        if known is None or span.marker:
            continue
        key = known.key
        if key not in found:
            found[key] = known
            forms[key] = Counter()
        forms[key][span.surface.replace("’", "'")] += 1
    return StoryEntities([entity.with_forms(dict(forms[key])) for key, entity in found.items()])
