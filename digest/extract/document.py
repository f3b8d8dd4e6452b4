"""The document the extraction steps pass along, and what extraction returns."""
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .matcher import fold
from .registry import KnownEntity


@dataclass
class Span:
    """Where the text names something: one or more candidate entities, or a marker (stop, title, demonym)."""

    start: int
    end: int
    surface: str
    candidates: tuple[KnownEntity, ...] = ()
    marker: str | None = None

    @property
    def entity(self):
        return self.candidates[0] if self.candidates else None


@dataclass
class StoryDoc:
    """A story under extraction. `body_start` is where the headline ends: title-case headlines
    are matched against known names but never used to discover new ones."""

    text: str
    body_start: int
    spans: list[Span] = field(default_factory=list)

    @classmethod
    def from_story(cls, headline, paragraphs):
        return cls(text="\n".join([headline, *paragraphs]), body_start=len(headline) + 1)

    @cached_property
    def folded(self):
        """The text as the name matcher reads it, folded once for every step that looks names up."""
        return fold(self.text)

    def is_free(self, start, end):
        return not any(span.start < end and start < span.end for span in self.spans)

    def add(self, span):
        self.spans.append(span)
        self.spans.sort(key=lambda s: s.start)


@dataclass
class FoundEntity:
    kind: str
    name: str
    actor_type: str = ""
    surface_forms: dict[str, int] = field(default_factory=dict)
    geonameid: int | None = None
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    discovered: bool = False

    @property
    def count(self):
        return sum(self.surface_forms.values())


@dataclass
class StoryEntities:
    entities: list[FoundEntity]

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
    """The last step: one FoundEntity per entity, in order of first mention, with its surface forms."""
    found, forms = {}, {}
    for span in doc.spans:
        known = span.entity
        if known is None or span.marker:
            continue
        if known.key not in found:
            found[known.key] = FoundEntity(
                kind=known.kind, name=known.name, actor_type=known.actor_type, geonameid=known.geonameid,
                country=known.country, latitude=known.latitude, longitude=known.longitude,
                discovered=known.discovered,
            )
            forms[known.key] = Counter()
        forms[known.key][span.surface.replace("’", "'")] += 1
    for key, entity in found.items():
        entity.surface_forms = dict(forms[key])
    return StoryEntities(list(found.values()))
