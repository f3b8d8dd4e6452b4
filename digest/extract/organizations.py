"""Step: discover organisations the actor table lacks from how news text introduces them: by
what they are ("the aid group Mercy Corps", "Aknaf Beit al-Maqdis, a Hamas-linked group"), by
who speaks for them ("Misty Buswell of the International Rescue Committee", "a senior official
of TEV-DEM") or by a name that ends like one ("the Syrian Democratic Council")."""
import re
from functools import lru_cache

from . import tables
from .document import Span
from .names import add_discovered
from .patterns import (
    ACRONYM, BOUNDED_NAME, BOUNDED_PERSON, ORGANIZATION, PARTICLE, WORD, AfterContext, WhereFound, word_start,
)
from .registry import DEMONYM

MEMBER = (
    r"(?:official|officials|member|members|leader|head|founder|chief|director|spokes(?:man|woman|person)|commander)"
)
# After the name: the end of the clause, or what it did.
END = r"(?=,|\.|;| said| says| told| reported| warned| called| \()"


@lru_cache(maxsize=4)
def _introductions(words):
    """The patterns for one set of organisation words (the group `name` is the organisation's
    name), and the pattern of the words that make an armed group."""
    words = dict(words)
    nouns = "|".join(re.escape(w) for w, (_, use) in sorted(words.items(), key=lambda i: -len(i[0])) if use == "noun")
    heads = "|".join(re.escape(w[0].upper() + w[1:]) for w, (_, use) in words.items() if use == "noun" and " " not in w)
    what = rf"(?:a|an|the) (?:[\w'’-]+ ){{0,3}}?(?:{nouns})\b(?!['’])"  # a Hamas-linked group
    armed = re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w, (t, _) in words.items() if t == "armed_group")
                       + r")\b")
    patterns = [
        p if isinstance(p, (AfterContext, WhereFound)) else re.compile(p)
        for p in (
            # the aid group Mercy Corps; a Beirut-based think tank, the Carnegie Middle East Center
            rf"{word_start('the', 'a', 'an')} (?:[\w'’-]+ ){{0,3}}?(?:{nouns})(?:, the)? (?P<name>{ORGANIZATION}){END}",
            # Aknaf Beit al-Maqdis, a Hamas-linked group; TEV-DEM, the coalition that runs ...
            WhereFound(AfterContext(["\n", ". ", ", ", "\\bof ", "\\bto ", "\\bby ", "\\bwith ", "\\bfrom ", "\\band "],
                                    rf"(?P<name>{ORGANIZATION})(?: \({ACRONYM}\))?, {what}"), f", {what}"),
            WhereFound(rf"{BOUNDED_PERSON} of the (?P<name>{ORGANIZATION}){END}", " of the "),
            rf"\b{MEMBER} of (?:the )?(?P<name>{ORGANIZATION}){END}",
            # the Syrian Democratic Council, Popular Mobilization Forces, Washington Institute for Near East Policy
            rf"(?P<name>{BOUNDED_NAME}(?: (?:for |and )?{PARTICLE}?(?:{WORD}|{ACRONYM})){{0,4}} "
            rf"(?:{heads})(?: (?:for|of|on) (?:the )?{WORD}(?: (?:and )?{WORD}){{0,3}})?)\b(?![-'’])",
        )
    ]
    return patterns, armed


def _actor_type(doc, registry, armed, phrase_start, phrase_end, name):
    """An armed group when the name or its introduction says so ("militia", "rebel group",
    "Hamas-linked"); otherwise an organisation."""
    if armed.search(doc.text[phrase_start:phrase_end].lower()):
        return "armed_group"
    if any(
        span.entity and span.entity.actor_type == "armed_group" and phrase_start <= span.start < phrase_end
        for span in doc.overlapping(phrase_start, phrase_end)
    ):
        return "armed_group"
    return registry.organization_words.get(name.split()[-1].lower(), ("organization", ""))[0]


def _ends_longer_name(text, start, registry):
    """"Levant" in "the Islamic Army of the Levant" is the tail of one name, not a second one."""
    before = re.search(r"(\w+) of (?:the )?$", text[max(0, start - 40):start])
    return bool(before and before.group(1)[0].isupper()
                and registry.organization_words.get(before.group(1).lower(), ("", ""))[1] == "noun")


def discover_organizations(doc, registry):
    body_start = doc.body_start
    body = doc.text[body_start:]
    patterns, armed = _introductions(tuple(registry.organization_words.items()))
    for pattern in patterns:
        for match in pattern.finditer(body):
            start, end = match.start("name") + body_start, match.end("name") + body_start
            if doc.text.startswith("The ", start):
                start += 4
            name = doc.text[start:end]
            if name.lower() in registry.organization_words or _ends_longer_name(doc.text, start, registry):
                continue  # "of the Brigade" names no organisation
            actor_type = _actor_type(doc, registry, armed, match.start() + body_start, match.end() + body_start, name)
            add_discovered(doc, registry, start, end, "actor", actor_type, over_places=True, allowed_markers={DEMONYM})
    return doc


# After a generic noun, what makes it the actor: "coalition aircraft", "Coalition spokesman".
GENERIC_AFTER = (
    r"(?:aircraft|jets|warplanes|planes|drones|strikes|airstrikes|air strikes|raids|bombing|forces|troops|"
    r"officials?|spokes(?:man|woman|person)|commanders?|partners|advisers|advisors|sources)"
)


@lru_cache(maxsize=1)
def _generic_rows():
    return tuple(tables.generic_references())


@lru_cache(maxsize=4)
def _generic_patterns(rows):
    """{noun: (strong, back-reference)} for data/generic_references.tsv. "coalition aircraft" and
    "Coalition spokesman" always name the actor; "the coalition" only refers back to it once the
    story has named it, and never when it describes another ("TEV-DEM, the coalition that runs")."""
    patterns = {}
    for noun, _ in rows:
        lower, upper = re.escape(noun), re.escape(noun[0].upper() + noun[1:])
        patterns[noun] = (
            re.compile(rf"\b({lower}|{upper}) {GENERIC_AFTER}\b"),
            re.compile(rf"\b[Tt]he ({lower})\b(?!['’-])(?! (?:of|that|which|who|calls|called|led|formed)\b)"),
        )
    return patterns


def resolve_generic_references(doc, registry):
    """A common noun that stands for one actor in this archive is that actor ("coalition aircraft"
    are the U.S.-led coalition's), unless the story names another actor whose name holds the noun."""
    rows = _generic_rows()
    for noun, actor_name in rows:
        if noun not in doc.folded:
            continue
        target = registry.forms.get(actor_name)
        if not target or isinstance(target, str):
            continue
        named = {span.entity.name for span in doc.spans if span.entity and span.entity.kind == "actor"}
        if any(noun in name.lower() and name != actor_name for name in named):
            continue
        strong, back_reference = _generic_patterns(rows)[noun]
        found = _add_free(doc, strong, target)
        if found or actor_name in named:
            _add_free(doc, back_reference, target)
    return doc


def _add_free(doc, pattern, target):
    found = False
    for match in pattern.finditer(doc.text, doc.body_start):
        if doc.is_free(match.start(1), match.end(1)):
            doc.add(Span(match.start(1), match.end(1), match.group(1), candidates=target))
            found = True
    return found
