"""Steps for places: discover the ones the gazetteer lacks from how the text introduces them,
and choose among gazetteer places that share a name."""
import re

from .names import add_discovered
from .patterns import PLACE
from .registry import KnownEntity

KIND = (
    r"(?:town|village|city|district|suburb|neighbou?rhood|province|governorate|region|area|camp|quarter|"
    r"countryside|outskirts|enclave|hamlet|border town|border crossing|crossing)"
)
RELATION = (
    r"(?:near|outside|close to|on the outskirts of|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)? of)"
)
COMPASS = (
    r"(?:northern|southern|eastern|western|central|north-?western|north-?eastern|south-?western|south-?eastern)"
)
# Words Arabic place names begin with: "Wadi Barada", "Kafr Nabudah", "Tal Abyad", "Ras al-Ain".
PLACE_HEAD = r"(?:Mount|Jabal|Jebel|Wadi|Kafr|Tal|Tell|Ras|Jisr|Khirbet|Ain|Bir|Qalaat|Maarat)"
# Every group of a pattern is a place name. A place introduced with what it is ("the old quarter",
# "the town of") may be longer than a place found inside it ("Daraa al-Balad" over Daraa); one
# found only by where it is ("near Rajo") may not.
INTRODUCTIONS = [
    (re.compile(p), over_places)
    for p, over_places in (
        (rf"\bthe (?:[\w-]+ ){{0,2}}{KIND} of ({PLACE})", True),  # the town of Morek, the rebel-held village of X
        # the Shiite villages of Foua and Kefraya; the towns of Inkhil, Jassem and Nawa
        (rf"\bthe (?:[\w-]+ ){{0,2}}{KIND}s of ({PLACE})(?:, ({PLACE}))?,? and ({PLACE})", True),
        (rf"\bthe (?:[a-z][\w-]* ){{0,2}}({PLACE}) (?:district|neighbou?rhood|camp|suburb|quarter|countryside|"
         r"air ?base|(?:border )?crossing)\b", True),  # the besieged Baba Amr district
        (rf"\b({PLACE_HEAD} {PLACE})", False),
        (rf"\b(?:in|of|from|near|across|around|into|to) ({PLACE}) (?:province|governorate|district|countryside)\b",
         False),
        (rf"(?:^|\n|\. |, |\bin |\bat |\bfrom |\bto |\bof |\binto )({PLACE}), (?:a|an|the) (?:[\w-]+ ){{0,2}}{KIND}\b",
         True),
        (rf"\b(?:in|at|from|to|into|of|around|toward|towards) ({PLACE}), {RELATION} ", False),
        (rf"\b(?:{RELATION}|around) ({PLACE})(?: and ({PLACE}))?\b", False),  # near Rajo and Bulbul
        (rf"\b(?:in|of|from|across|into|to|toward|towards) (?:the )?{COMPASS} ({PLACE})", False),  # in western Anbar
        (rf"\bthe ({PLACE}) and ({PLACE}) (?:districts|neighbou?rhoods|suburbs|quarters|villages|camps)\b", True),
        # several villages east of the city, including Badana and Kani Harami
        (rf"\b{KIND}s\b[^.\n]{{0,40}}?\bincluding ({PLACE})(?:, ({PLACE}))?(?:,? and ({PLACE}))?", False),
    )
]


def discover_places(doc, registry):
    """A place introduced as "the town of Morek" becomes a place entity, recognised everywhere in the story."""
    body = doc.text[doc.body_start:]
    for pattern, over_places in INTRODUCTIONS:
        for match in pattern.finditer(body):
            for group in range(1, pattern.groups + 1):
                if match.group(group) is None:
                    continue
                start, end = match.start(group) + doc.body_start, match.end(group) + doc.body_start
                place = KnownEntity("place", match.group(group), discovered=True)
                add_discovered(doc, registry, start, end, place, over_places)
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
