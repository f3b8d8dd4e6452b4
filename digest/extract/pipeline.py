"""The extractor: the registry plus the named steps, run in order over each story."""
from archive.memory import collection_paused

from .document import StoryDoc, collect
from .names import match_names
from .organizations import discover_organizations, resolve_generic_references
from .people import discover_people, discover_people_by_kunya, resolve_short_names
from .places import choose_places, confirm_small_places, discover_places
from .registry import Registry, registry_from_files
from .sources import discover_outlets, keep_attributed_sources

STEPS = [
    match_names,
    confirm_small_places,
    discover_people_by_kunya,
    discover_outlets,
    discover_organizations,
    discover_places,
    discover_people,
    resolve_short_names,
    resolve_generic_references,
    choose_places,
    keep_attributed_sources,
]


class Extractor:
    def __init__(self, registry: Registry, steps=STEPS):
        self.registry = registry
        self.steps = steps

    def run(self, headline, paragraphs):
        """The document after every step, for tests and for looking into a result."""
        doc = StoryDoc.from_story(headline, paragraphs)
        with collection_paused():
            for step in self.steps:
                doc = step(doc, self.registry)
        return doc

    def extract(self, headline: str, paragraphs: list[str]):
        with collection_paused():  # collecting a long story's spans makes as many objects again
            return collect(self.run(headline, paragraphs))


def extractor_from_files():
    """An extractor from the shipped data files alone, without a database."""
    return Extractor(registry_from_files())
