"""The kinds of entity the archive keeps, named once.

The model's choices, the browsing pages' headings and search's facet registry
(search.results.FACET_KINDS, which adds each kind's engine field) all read this
table, so a new kind is one line here, and search depends on digest, not back.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class EntityKind:
    name: str  # stored in Entity.kind; also the search parameter that selects it
    label: str  # one of them, as the admin names it
    heading: str  # a list of them, as pages and facets head it


PLACE = EntityKind("place", "Place", "Places")
ACTOR = EntityKind("actor", "Actor", "Actors")
SOURCE = EntityKind("source", "Source (news outlet)", "Sources")

ENTITY_KINDS = (PLACE, ACTOR, SOURCE)
