"""Steps for places: discover the ones the gazetteer lacks from how the text introduces them,
and choose among gazetteer places that share a name."""
import re

from .names import add_everywhere
from .patterns import PLACE
from .registry import KnownEntity

KIND = (
    r"(?:town|village|city|district|suburb|neighbou?rhood|province|governorate|region|area|camp|"
    r"countryside|outskirts|enclave|hamlet|border town|border crossing|crossing)"
)
RELATION = (
    r"(?:near|outside|close to|on the outskirts of|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)? of)"
)
# Every group of a pattern is a place name.
INTRODUCTIONS = [
    re.compile(p)
    for p in (
        rf"\bthe (?:[\w-]+ ){{0,2}}{KIND} of ({PLACE})",  # the town of Morek, the rebel-held village of X
        rf"\bthe (?:[\w-]+ ){{0,2}}{KIND}s of ({PLACE}) and ({PLACE})",  # the Shiite villages of Foua and Kefraya
        rf"\bthe ({PLACE}) (?:district|neighbou?rhood|camp|suburb|quarter|countryside|air ?base|"
        r"(?:border )?crossing)\b",
        rf"\b((?:Mount|Jabal|Jebel) {PLACE})",  # Mount Qassioun, Jabal al-Zawiya
        rf"\b(?:in|of|from|near|across|around|into|to) ({PLACE}) (?:province|governorate|district|countryside)\b",
        rf"(?:^|\n|\. |, |\bin |\bat |\bfrom |\bto |\bof |\binto )({PLACE}), (?:a|an|the) (?:[\w-]+ ){{0,2}}{KIND}\b",
        rf"\b(?:in|at|from|to|into|of|around|toward|towards) ({PLACE}), {RELATION} ",
    )
]


def discover_places(doc, registry):
    """A place introduced as "the town of Morek" becomes a place entity, recognised everywhere in the story."""
    body = doc.text[doc.body_start:]
    for pattern in INTRODUCTIONS:
        for match in pattern.finditer(body):
            for group in range(1, pattern.groups + 1):
                start, end = match.start(group) + doc.body_start, match.end(group) + doc.body_start
                name = match.group(group)
                if doc.is_free(start, end) and not any(registry.marker(word) for word in name.split()):
                    add_everywhere(doc, KnownEntity("place", name, discovered=True), [name])
    return doc


def choose_places(doc, registry):
    """Where a name means several places ('Tripoli'), take the one in a country the story names
    or holds other places in; failing that, the most populous."""
    countries = {
        span.candidates[0].country
        for span in doc.spans
        if len(span.candidates) == 1 and span.candidates[0].kind == "place" and span.candidates[0].country
    }
    for span in doc.spans:
        if len(span.candidates) > 1:
            span.candidates = (min(span.candidates, key=lambda c: (c.country not in countries, -c.population)),)
    return doc
