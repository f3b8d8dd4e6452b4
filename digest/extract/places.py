"""Steps for places: keep a gazetteer village only where the text introduces a place, discover
the places the gazetteer lacks from how the text introduces them or what happens there, and
choose among gazetteer places that share a name."""
import math
import re
from functools import lru_cache

from . import tables
from .matcher import fold
from .names import add_discovered
from .patterns import BOUNDED_WORD, PLACE, WORD, AfterContext, OnLines, WhereFound, word_start
from .registry import TITLE

KINDS = (
    r"town|village|city|district|suburb|neighbou?rhood|province|governorate|region|area|camp|quarter|"
    r"countryside|outskirts|enclave|hamlet|border town|border crossing|crossing"
).split("|")
KIND = f"(?:{'|'.join(KINDS)})"
RELATIONS = ["near", "outside", "close to", "on the outskirts of"] + [
    f"{direction}(?:ern)? of"
    for direction in ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
]
RELATION = f"(?:{'|'.join(RELATIONS)})"
COMPASS = (
    r"(?:northern|southern|eastern|western|central|north-?western|north-?eastern|south-?western|south-?eastern)"
)
# Words Arabic place names begin with: "Wadi Barada", "Kafr Nabudah", "Tal Abyad", "Ras al-Ain".
PLACE_HEADS = "Mount|Jabal|Jebel|Wadi|Kafr|Tal|Tell|Ras|Jisr|Khirbet|Ain|Bir|Qalaat|Maarat".split("|")
# What armies and people do to places: "rebels retook Ratyan and Hardatneen", "buses left Arbin".
TAKEN = (
    "took|captured|seized|retook|recaptured|entered|stormed|overran|besieged|shelled|bombed|liberated|"
    "evacuated|hit|struck|targeted|control of|advanced on|moved on|approached|reached|fled to|returned to|"
    "withdrew to|withdrew from|left|pushed into|pushed toward|pushed towards"
).split("|")
# After "in Jaadin": the end of the clause or what follows a place in a sentence.
PLACE_END = (
    r"(?=,|\.|;|:|\)| and | on | last | this | where | after | before | when | since | until | for | who | which )"
)
# Every group of a pattern is a place name. A place introduced with what it is ("the old quarter",
# "the town of") may be longer than a place found inside it ("Daraa al-Balad" over Daraa) and may
# hold a title word ("the Sheikh Saeed district"); one found only by where it is ("near Rajo") may not.
# A pattern written WhereFound runs only on stories where a cheap expression is found; one written
# OnLines only on the lines where it is.
# Patterns begin with word_start(...) rather than `\b(?:...)` where few letters begin its words: several
# times faster on a long story (where many do, `\b` is as fast).
THE = word_start("the ")
INTRODUCTIONS = [
    (p if isinstance(p, (AfterContext, OnLines, WhereFound)) else re.compile(p), over_places)
    for p, over_places in (
        (rf"{THE}(?:[\w-]+ ){{0,2}}{KIND} of ({PLACE})", True),  # the town of Morek, the rebel-held village of X
        # the Shiite villages of Foua and Kefraya; the towns of Inkhil, Jassem and Nawa
        (WhereFound(rf"{THE}(?:[\w-]+ ){{0,2}}{KIND}s of ({PLACE})(?:, ({PLACE}))?,? and ({PLACE})", "s of "), True),
        (rf"{THE}(?:[a-z][\w-]* ){{0,2}}({PLACE}) (?:district|neighbou?rhood|camp|suburb|quarter|countryside|"
         r"air ?base|(?:border )?crossing)\b", True),  # the besieged Baba Amr district
        (rf"({word_start(*PLACE_HEADS)} {PLACE})", False),
        (OnLines(rf"{word_start('in', 'of', 'from', 'near', 'across', 'around', 'into', 'to')} ({PLACE}) "
                 r"(?:province|governorate|district|countryside)\b", r"(?:province|governorate|district|countryside)\b"),
         False),
        (WhereFound(AfterContext(["\n", ". ", ", ", "\\bin ", "\\bat ", "\\bon ", "\\bfrom ", "\\bto ", "\\bof ", "\\binto "],
                                 rf"({PLACE}), (?:a|an|the) (?:[\w-]+ ){{0,2}}{KIND}\b"),
                    rf", (?:a|an|the) (?:[\w-]+ ){{0,2}}{KIND}\b"),
         True),
        (OnLines(rf"{word_start('in', 'at', 'from', 'to', 'into', 'of', 'around', 'toward', 'towards')} ({PLACE}), {RELATION} ",
                 rf", {RELATION} "), False),
        (rf"{word_start(*RELATIONS, 'around')} ({PLACE})(?: and ({PLACE}))?\b", False),  # near Rajo and Bulbul
        # in western Anbar
        (rf"{word_start('in', 'of', 'from', 'across', 'into', 'to', 'toward', 'towards')} (?:the )?{COMPASS} ({PLACE})",
         False),
        (rf"{THE}({PLACE}) and ({PLACE}) (?:districts|neighbou?rhoods|suburbs|quarters|villages|camps)\b", True),
        # several villages east of the city, including Badana and Kani Harami
        (OnLines(rf"\b{KIND}s\b[^.\n]{{0,40}}?\bincluding ({PLACE})(?:, ({PLACE}))?(?:,? and ({PLACE}))?", "including "),
         False),
        (rf"\b(?:{'|'.join(TAKEN)}) ({PLACE})(?:, ({PLACE}))?(?:,? and ({PLACE}))?{PLACE_END}", False),
        (rf"{word_start('In', 'in', 'At', 'at', 'From', 'from', 'into')} ({PLACE}){PLACE_END}", False),  # residents in Jaadin, on Sunday
        (rf"{word_start('From', 'from')} ({PLACE}) (?:to|toward|towards|into) ({PLACE})\b", False),  # from Bashkoy toward Nubl
        # one village, al-Mansoura, ...
        (rf"{word_start('one', 'a', 'the', 'another', 'each')} (?:[\w-]+ ){{0,2}}{KIND}, ({PLACE})(?=,|\.|;)", True),
        (OnLines(rf"\b({PLACE}) (?:air ?base|airbase|military airport|airport)\b",
                 rf"{word_start('air ?base', 'airbase', 'airport')}\b"),
         False),
        (OnLines(rf"({BOUNDED_WORD} (?:{WORD} )?Road)\b", r" Road\b"), True),  # a named road: Castello Road
    )
]
# A list goes on from a known place: "Nubl and Zahraa", "Saqba, Hamouriyeh and Kafr Batna".
# A comma alone goes on a list only when an "and" closes it: not "the governor of Hatay, Rahmi Dogan, said".
AFTER_PLACE = re.compile(rf"(?:,? and |, (?=[^.\n]{{0,60}}? and ))({PLACE}){PLACE_END}")
BEFORE_PLACE = re.compile(
    rf"(?:(?:^|[\s(])({PLACE}),? and |\b(?:and|in|at|near|from) ({PLACE}) in (?:the )?(?:{COMPASS} )?)$"
)  # "Tel Hasel and" Tel Aran; "and al-Lataminah in northern" Hama


# What introduces a place just before its name: "in Saqba", "near the village of", "captured Kiffin".
CUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|from|outside|into|toward|towards|around|across|through|to|of|between|reached|took|"
    r"seized|captured|retook|recaptured|entered|shelled|struck|hit|bombed|besieged|stormed|overran|fled|left|"
    r"village|villages|town|towns|city|district|districts|neighbou?rhood|area)"
    r"|[\w-]+ (?:of|to|from|in|near)) (?:the )?$",
    re.IGNORECASE,
)
# What says a name is a place just after it: "the Sakhour district", "Hamadan air base".
CUE_AFTER = re.compile(
    r"^['’]?s? ?(?:district|village|town|city|area|countryside|province|governorate|neighbou?rhood|camp|"
    r"air ?base|airbase|airport|military airport|crossing|border crossing|suburb|quarter|front|dam|checkpoint)s?\b",
    re.IGNORECASE,
)
# A village is named with the towns around it: a guarded name far from all of the story's located
# places in its country is another place of the same name, or none.
NEAR_KM = 100
# A village in a list after a place counts as introduced: "in Hamouriyeh, Saqba and Kafr Batna".
LIST_BEFORE = re.compile(r"(?:, (?:and )?| and | or )$")


def _introduced(doc, span, previous):
    before = doc.text[max(0, span.start - 40):span.start]
    after = doc.text[span.end:span.end + 30]
    if CUE_BEFORE.search(before) or CUE_AFTER.match(after):
        return True
    listed = LIST_BEFORE.search(before)
    return bool(listed and previous is not None and previous.end == span.start - len(listed.group())
                and previous.entity and previous.entity.kind == "place")


def _distance_km(a, b):
    """Great-circle distance between two located places."""
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _near_enough(place, located):
    """`located`: the story's other places with coordinates, by country."""
    nearby = located.get(place.country, ())
    if place.latitude is None or not nearby:
        return True
    return any(_distance_km(place, other) <= NEAR_KM for other in nearby)


def confirm_small_places(doc, registry):
    """Keep a guarded gazetteer name (a village, a transliteration variant) only where the text
    introduces a place there ("in Saqba", "the Sakhour district", "Hamadan air base") and, when the
    story's other places say where it is, only a place in one of their countries and near one of them;
    never one of data/not_places.txt ("Side", "Salt")."""
    # Sets of spans (which hash by identity): a long story holds thousands of guarded names.
    not_places = _not_places()
    guarded = {span for span in doc.spans if span.candidates and span.entity.kind == "place"
               and fold(span.surface) in registry.guarded}
    never = {span for span in guarded if any(word in not_places for word in span.surface.split())}
    if never:
        doc.spans = [span for span in doc.spans if span not in never]
        guarded -= never
    if not guarded:
        return doc
    others = [
        candidate
        for span in doc.spans if span.candidates and span not in guarded
        for candidate in span.candidates[:1] if candidate.kind == "place" and candidate.country
    ]
    countries = {place.country for place in others}
    located = {}
    for place in others:
        if place.latitude is not None:
            located.setdefault(place.country, []).append(place)
    kept, previous = [], None
    for span in doc.spans:
        if span in guarded:
            places = tuple(c for c in span.candidates if c.kind == "place" and (not countries or c.country in countries)
                           and _near_enough(c, located))
            if not places or not _introduced(doc, span, previous):
                continue
            span.candidates = places
        kept.append(span)
        previous = span
    doc.spans = kept
    return doc


def discover_places(doc, registry):
    """A place introduced as "the town of Morek" becomes a place entity, recognised everywhere in the story."""
    body = doc.text[doc.body_start:]
    for pattern, over_places in INTRODUCTIONS:
        for match in pattern.finditer(body):
            for group in range(1, pattern.groups + 1):
                if match.group(group) is not None:
                    _discover(doc, registry, match.start(group) + doc.body_start, match.end(group) + doc.body_start,
                              over_places)
    for span in list(doc.spans):
        if span.start < doc.body_start or not (span.entity and span.entity.kind == "place" and not span.marker):
            continue
        after = AFTER_PLACE.match(doc.text, span.end)
        if after:
            _discover(doc, registry, after.start(1), after.end(1), False)
        offset = max(doc.body_start, span.start - 60)
        window = doc.text[offset:span.start]
        before = BEFORE_PLACE.search(window) if window.endswith(" and ") or " in " in window[-25:] else None
        if before:
            group = 1 if before.group(1) else 2
            _discover(doc, registry, before.start(group) + offset, before.end(group) + offset, False)
    return doc


@lru_cache(maxsize=1)
def _not_places():
    return set(tables.words("not_places.txt"))


def _discover(doc, registry, start, end, over_places):
    """A discovered place at [start, end), unless its name ends like an organisation's ("Division")
    or holds a word of data/not_places.txt ("Mediterranean", "Operation")."""
    name = doc.text[start:end]
    if start > 0 and doc.text[start - 1] in "'’-" or registry.organization_words.get(name.split()[-1].lower()):
        return
    if any(word in _not_places() for word in name.split()):
        return
    allowed = {TITLE} if over_places else ()
    add_discovered(doc, registry, start, end, "place", over_places=over_places, allowed_markers=allowed)


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
