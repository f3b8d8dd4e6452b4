"""Step: find every name the registry knows (aliases, gazetteer names, stop forms, titles, demonyms)."""
import re

from .document import Span
from .records import EntityRecord

POSSESSIVE = re.compile(r"['’]s ")


def _kept_in_compound(candidate, compound):
    """A place names where something is ("Beirut-based"); an actor who stands behind it
    ("Hamas-linked", "ISIS-held"); "U.S.-backed" names neither the place nor an outlet."""
    if candidate.kind == "place":
        return compound == "based"
    return candidate.kind == "actor" and compound != "based"


def match_names(doc, registry):
    for hit in registry.matcher.find(doc.text, doc.folded):
        if isinstance(hit.value, str):
            doc.add(Span(hit.start, hit.end, hit.surface, marker=hit.value))
            continue
        candidates = hit.value
        if hit.compound:
            candidates = tuple(c for c in candidates if _kept_in_compound(c, hit.compound))
            if not candidates:
                continue
        doc.add(Span(hit.start, hit.end, hit.surface, candidates=candidates))
        first = candidates[0]
        if first.kind == "place":
            _match_state_of(doc, registry, hit.end, first)
        if first.actor_type == "government":
            _match_place_in_state(doc, registry, hit)
    return doc


def _match_place_in_state(doc, registry, hit):
    """"U.S. troops" names the United States as well as its government ("Syrian troops" names no place).
    For a hit of a government (match_names asks only then: a call for every hit cost more than the check)."""
    if " " not in hit.surface:
        return
    first, rest = hit.surface.split(" ", 1)
    if rest.lower() not in registry.state_force_set:
        return
    place = registry.forms.get(first)
    if place and not isinstance(place, str) and place[0].kind == "place":
        doc.add(Span(hit.start, hit.start + len(first), first, candidates=place))


def _match_state_of(doc, registry, end, place):
    """"Russia’s Defence Ministry" names the Russian government as "Russian Defence Ministry" does.
    For a hit of a place (match_names asks only then)."""
    demonym = registry.demonym_of.get(place.name)
    possessive = POSSESSIVE.match(doc.text, end) if demonym else None
    if not possessive:
        return
    start = possessive.end()
    for noun in registry.state_forces:
        # Nouns written in lower case match however the text capitalises them ("Russia’s Foreign Ministry").
        text = doc.folded if noun.islower() else doc.text
        if text.startswith(noun, start) and not doc.text[start + len(noun): start + len(noun) + 1].isalnum():
            government = registry.forms.get(f"{demonym} {noun}")
            if government and not isinstance(government, str):
                doc.add(Span(start, start + len(noun), doc.text[start:start + len(noun)], candidates=government))
            return


def add_everywhere(doc, entity, forms):
    """Recognise a newly found entity wherever the story names it again, where nothing else was found."""
    for hit in doc.find(dict.fromkeys(forms, entity)):
        if doc.is_free(hit.start, hit.end):
            doc.add(Span(hit.start, hit.end, hit.surface, candidates=(hit.value,)))
    return doc


def add_discovered(doc, registry, start, end, kind, actor_type="", over_places=False, allowed_markers=()):
    """Add the entity of this kind a discovery step found at [start, end), named as the text names it
    there, and wherever the story names it again. Nothing is added where the text holds a known
    name or a marker word (but those allowed: an organisation's name may hold a demonym); with
    `over_places`, the longer name wins over places named inside it ("Daraa al-Balad", "Brookings
    Doha Center"). Most of what the steps find is a name known already ("in Hama"): that is looked
    at first, and the record is made only for a name added."""
    inside = doc.overlapping(start, end)
    if inside and not all(
        (s.marker in allowed_markers and s.marker)
        or (over_places and start <= s.start and s.end <= end and s.end - s.start < end - start
            and s.entity and s.entity.kind == "place")
        for s in inside
    ):
        return False
    name = doc.text[start:end]
    if any(registry.marker(word) not in (None, *allowed_markers) for word in name.split()):
        return False
    doc.remove(inside)
    add_everywhere(doc, EntityRecord(kind, name, actor_type, discovered=True), [name])
    return True
