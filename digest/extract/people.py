"""Steps for people: discover the ones the actor table lacks from how the text introduces them,
and resolve surname and short-name references ("Fabius", "De Mistura") within the story."""
import re
from functools import lru_cache

from . import tables
from .names import add_discovered, add_everywhere
from .patterns import BOUNDED_PERSON, PARTICLE, PERSON, PLACE, WORD, AfterContext, OnLines, WhereFound, word_start
from .registry import TITLE

# "Foreign Minister Walid al-Moallem"; "The group’s spokesman, Nouri Mahmoud, told"; "the governor of
# Hatay, Rahmi Dogan, told".
AFTER_TITLE = re.compile(rf" ({PERSON})|(?: of {PLACE})?, ({PERSON}),")
ROLE = (
    r"(?:spokes(?:man|woman|person)|minister|envoy|head|director|leader|chief|commander|ambassador|official|"
    r"president|secretary|founder|representative|adviser|advisor|aide|analyst|researcher|fellow|professor|"
    r"physician|doctor|surgeon|activist|journalist|reporter|photographer|correspondent|editor|member|governor|"
    r"mayor|officer|negotiator|expert|lawyer|cleric|coordinator|politician|lawmaker|writer|blogger|cousin|"
    r"commissioner|investigator|rapporteur|chairman|chairwoman|deputy|executive|resident|witness|fighter|"
    r"brother|sister|son|daughter|wife|husband|relative)"
)
# What a speaker does: "Hanin Ghaddar wrote in", "as Nicholas Blanford noted".
SPEECH = r"(?:said|says|told|added|noted|wrote|writes|warned|argued|explained|reports|reported|tweeted)"
INTRODUCTIONS = [
    p if isinstance(p, (AfterContext, WhereFound)) else re.compile(p)
    for p in (
        rf"{word_start('said', 'says', 'added', 'wrote', 'writes', 'noted', 'warned', 'told reporters')} ({PERSON})(?= of |,|\.| in | on | who |$)",
        # Charles Lister of the Brookings ...
        WhereFound(rf"({BOUNDED_PERSON}) of the (?:[A-Z][\w.'’-]* ?)+(?:,| said| says| told)", " of the "),
        # Talal Silo, the SDF spokesman; the killing of Hevrin Khalaf, a Kurdish politician
        AfterContext(["\n", ". ", "\\bof ", "\\bby ", "\\bwith ", "\\baccording to "],
                     rf"({PERSON}), (?:the |a |an )?(?:[\w.'’-]+ ){{0,4}}{ROLE}\b"),
        WhereFound(rf"(?:^|\n|\. )({PERSON}), who (?:leads|heads|runs|commands|founded|chairs)\b", ", who "),
        AfterContext(["\n", ". ", ", ", "; ", "\\band ", "\\bas ", "\\bbut ", "'s ", "’s "], rf"({PERSON}) {SPEECH}\b"),
        rf"{word_start('led', 'headed', 'commanded', 'founded')} by ({PERSON})\b",
    )
]
JOURNALIST = re.compile(rf"['’]s ({PERSON})\b(?![-'’])")
ARTICLES = {"The", "A", "An"}
PARTICLES = {"al", "el", "ad", "ash", "as", "ar", "an", "az", "ez", "ibn", "bin", "de", "di", "da", "van", "von", "der"}


def _person(doc, registry, start, end, name, over_places=False):
    """A name that ends like an organisation's ("International Rescue Committee said"), or starts
    with an article ("The Health Ministry said"), is no person's."""
    words = name.split()
    if words[0] in ARTICLES or registry.organization_words.get(words[-1].lower(), ("", ""))[1] == "noun":
        return
    add_discovered(doc, registry, start, end, "actor", "person", over_places)


def discover_people(doc, registry):
    """A name after a title ("Foreign Minister Walid al-Moallem", "U.N. envoy Staffan de Mistura")
    or introduced as a speaker ("said Rami Abdulrahman of the Observatory") is a person."""
    for span in list(doc.spans):
        if span.marker == TITLE and span.start >= doc.body_start:
            match = AFTER_TITLE.match(doc.text, span.end)
            if match:
                group = 1 if match.group(1) else 2
                # After a title the name wins over a place inside it ("negotiator Louay Safi").
                _person(doc, registry, match.start(group), match.end(group), match.group(group), over_places=True)
    for span in list(doc.spans):
        # An outlet's journalist: "the BBC’s Lyse Doucet", "Al Jazeera’s Zeina Khodr".
        journalist = JOURNALIST.match(doc.text, span.end) if span.entity and span.entity.kind == "source" else None
        if journalist and span.start >= doc.body_start:
            _person(doc, registry, journalist.start(1), journalist.end(1), journalist.group(1))
    body = doc.text[doc.body_start:]
    for pattern in INTRODUCTIONS:
        for match in pattern.finditer(body):
            _person(doc, registry, match.start(1) + doc.body_start, match.end(1) + doc.body_start, match.group(1))
    return doc


@lru_cache(maxsize=1)
def _kunya_patterns():
    """How a person known by a kunya is introduced: "Abu Omar, a rebel fighter", "Umm Mahmoud said",
    "told Abu Ahmad", "a resident, Abu Hassan, said"; and the kunya words themselves."""
    kunyas = tables.words("kunyas.txt")
    tail = rf" {WORD}(?: {PARTICLE}{WORD})?"
    name = rf"(?:{'|'.join(re.escape(k) for k in kunyas)}){tail}"
    bounded_name = word_start(*(re.escape(k) for k in kunyas)) + tail  # `\b{name}`
    # Every match holds a kunya and a space: the patterns not beginning with one read only the lines that do.
    needs = word_start(*(re.escape(k) for k in kunyas)) + " "
    patterns = [
        re.compile(rf"({bounded_name}), (?:a|an|the|who|whose|one|another|[0-9]+)\b"),
        re.compile(rf"({bounded_name}) (?:said|says|told|added|explained|recalled|described|asked|wrote|tweeted)\b"),
    ] + [
        OnLines(p, needs)
        for p in (
            rf"{word_start('said', 'says', 'told', 'added', 'according to')} ({name})\b(?! (?:{WORD}))",
            rf"\b[a-z]+, ({name}), ",
        )
    ]
    return patterns, set(kunyas)


# A capitalised word and a space just before a position; and a stretch that could be the end of one.
CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’.-]* $")
WORD_TAIL = re.compile(r"[\w'’.-]* \n?")


def _after_capitalised_word(text, end):
    """Whether a capitalised word and a space end at `end`, as searching all of text[:end] for
    CAPITALISED_BEFORE would say, reading only back to where that word begins (searching the whole
    text before each kunya made a long story quadratic)."""
    window = 64
    while True:
        start = max(0, end - window)
        if CAPITALISED_BEFORE.search(text, start, end):
            return True
        if start == 0 or not WORD_TAIL.fullmatch(text, start, end):
            return False  # the word before `end` begins inside the window: nothing earlier can match
        window *= 2


def discover_people_by_kunya(doc, registry):
    """A kunya with an appositive or a speech verb is a person, before organisation words in the
    appositive can make it anything else ("Abu Bashir, a local council member")."""
    body = doc.text[doc.body_start:]
    patterns, kunyas = _kunya_patterns()
    if not any(f"{kunya} " in body for kunya in kunyas):
        return doc  # most stories have none: skip the patterns
    for pattern in patterns:
        for match in pattern.finditer(body):
            if _after_capitalised_word(body, match.start(1)):
                continue  # a kunya inside a longer name: "SDF commander Ahmed Abu Khawla"
            _person(doc, registry, match.start(1) + doc.body_start, match.end(1) + doc.body_start, match.group(1))
    return doc


def short_names(name):
    """'Laurent Fabius' -> Fabius; 'Staffan de Mistura' -> de Mistura, De Mistura, Mistura;
    'Walid al-Moallem' -> al-Moallem, Moallem."""
    words = name.split()
    if len(words) == 2 and words[0] in _kunya_patterns()[1]:
        return set()  # "Abu Omar" is not every Omar of the story
    last = words[-1]
    forms = {last}
    if "-" in last and last.split("-")[0].lower() in PARTICLES:
        forms.add(last.split("-", 1)[1])
    if len(words) > 2 and words[-2].lower() in PARTICLES:
        particle = words[-2] + " " + last
        forms |= {particle, particle[0].upper() + particle[1:]}
    return {form for form in forms if len(form) > 2}


def resolve_short_names(doc, registry):
    """A person named in full is meant by their surname elsewhere in the same story."""
    people = {span.entity.key: span.entity for span in doc.spans if span.entity and span.entity.actor_type == "person"}
    for person in people.values():
        forms = [form for form in short_names(person.name) if registry.marker(form) is None]
        add_everywhere(doc, person, forms)
    return doc
