"""Steps for people: discover the ones the actor table lacks from how the text introduces them,
and resolve surname and short-name references ("Fabius", "De Mistura") within the story."""
import re

from .names import add_everywhere
from .patterns import PERSON
from .registry import TITLE, KnownEntity

AFTER_TITLE = re.compile(rf" ({PERSON})")
INTRODUCTIONS = [
    re.compile(p)
    for p in (
        rf"\b(?:said|says|added|told reporters) ({PERSON})(?= of |,|\.| in | on | who |$)",
        rf"\b({PERSON}) of the (?:[A-Z][\w.'’-]* ?)+(?:,| said| says| told)",  # Charles Lister of the Brookings ...
        rf"(?:^|\n|\. )({PERSON}), (?:the |a |an )?(?:[\w.-]+ ){{0,4}}(?:spokes(?:man|woman|person)|minister|envoy|"
        r"head|director|leader|chief|commander|ambassador|official|president|secretary|founder)\b",
    )
]
PARTICLES = {"al", "el", "ad", "ash", "as", "ar", "an", "az", "ez", "ibn", "bin", "de", "di", "da", "van", "von", "der"}


def _person(doc, registry, start, end, name):
    if doc.is_free(start, end) and not any(registry.marker(word) for word in name.split()):
        add_everywhere(doc, KnownEntity("actor", name, "person", discovered=True), [name])


def discover_people(doc, registry):
    """A name after a title ("Foreign Minister Walid al-Moallem", "U.N. envoy Staffan de Mistura")
    or introduced as a speaker ("said Rami Abdulrahman of the Observatory") is a person."""
    for span in list(doc.spans):
        if span.marker == TITLE and span.start >= doc.body_start:
            match = AFTER_TITLE.match(doc.text, span.end)
            if match:
                _person(doc, registry, match.start(1), match.end(1), match.group(1))
    body = doc.text[doc.body_start:]
    for pattern in INTRODUCTIONS:
        for match in pattern.finditer(body):
            _person(doc, registry, match.start(1) + doc.body_start, match.end(1) + doc.body_start, match.group(1))
    return doc


def short_names(name):
    """'Laurent Fabius' -> Fabius; 'Staffan de Mistura' -> de Mistura, De Mistura, Mistura;
    'Walid al-Moallem' -> al-Moallem, Moallem."""
    words = name.split()
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
