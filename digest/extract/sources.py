"""Step: keep a news outlet as a cited source only where the text attributes something to it
("Reuters reports", "according to AFP", "the Los Angeles Times wrote on Monday", "per the Wall
Street Journal", "SANA, the official news agency, said", "Al-Arabiya, citing sources, said",
"the BBC’s Jim Muir, reporting from Beirut")."""
import re
from functools import lru_cache

from . import tables
from .names import add_discovered
from .patterns import ACRONYM, WORD, OnLines, word_start

BEFORE = re.compile(
    r"(?:according to|told|reported by|quoted by|cited by|reports? by|reporting by|interview with|speaking to|"
    r"said to|quoting|via|per|in|to|[Ff]rom)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,3}$"
)
# An appositive may stand between the outlet and the verb: "the Sunday Times, Colvin's paper, said".
# "the BBC’s Jim Muir, reporting from Beirut": an outlet's journalist is the outlet reporting;
# "From Britain’s ITV news network:" introduces a quotation from it.
AFTER = re.compile(
    r"^(?:,\s+citing\b|['’]s\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+\b|"
    r"(?:['’]s)?(?:,[^,\n]{1,40},)?\s+(?:[\w-]+\s+){0,3}?(?:reports?|reported|reporting|"
    r"wrote|writes|said|says|notes?|noted|quoted|quotes|cites?|cited|adds?|added|learned|has learned|reporter|"
    r"correspondent|report|interview|published|obtained|confirmed|revealed|claimed|chief|editor|columnist|"
    r"is running|ran|carried|aired|broadcast|tweeted|posted|found|showed)\b|(?:\s+[\w-]+){0,3}:)"
)


def keep_attributed_sources(doc, registry):
    """Drop the outlets the text names without citing them."""
    kept = []
    for span in doc.spans:
        entity = span.entity
        if entity and entity.kind == "source" and not span.marker:
            # The words around it on its own line, looked for no further than they are read.
            start = doc.text.rfind("\n", max(0, span.start - 60), span.start) + 1
            end = doc.text.find("\n", span.end, span.end + 60)
            before = doc.text[max(start, span.start - 60): span.start]
            after = doc.text[span.end: end if end >= 0 else span.end + 60]
            # What follows, most often the verb ("Reuters reports"), is read first: it is the cheaper to search.
            if not (AFTER.search(after) or BEFORE.search(before)):
                continue
        kept.append(span)
    doc.spans = kept
    return doc


# An outlet's name: "ARA News", "Sabah", "Nidaa al-Watan", "Deir Ezzor 24".
OUTLET = rf"(?:(?:al|an|as|ad|el)-)?(?:{WORD}|{ACRONYM})(?: (?:(?:al|an|as|ad|el)-)?(?:{WORD}|{ACRONYM}|[0-9]+)){{0,3}}"
MEDIUM = (
    r"(?:daily|newspaper|paper|news agency|news site|news website|website|news outlet|outlet|broadcaster|"
    r"TV channel|television channel|television|channel|radio station|radio|weekly|magazine|news network)"
)
MEDIUM_WORD = re.compile(r"\b(?:daily|newspaper|paper|agency|site|website|outlet|broadcaster|channel|television|"
                         r"TV|radio|weekly|magazine|network)\b")
CITED = r"(?=,| said| says| reported| reports| quoted| cited| wrote| writes| published| aired| broadcast|\.)"
OUTLET_INTRODUCTIONS = [
    # the Lebanese daily As-Safir reported; the pro-government newspaper Sabah said
    re.compile(rf"{word_start('The ', 'the ')}(?:[\w-]+ ){{0,3}}?{MEDIUM},? ({OUTLET}){CITED}"),
    # the pro-government Sabah newspaper reported; the Kurdish ARA News agency said
    OnLines(rf"\b({OUTLET}) (?:daily|newspaper|news agency|agency|news site|news website|website|TV|television|"
            rf"channel|radio|weekly|magazine)\b(?! (?:of|in|on)\b)", MEDIUM_WORD.pattern),
]


@lru_cache(maxsize=1)
def _outlet_adjectives():
    return {word.capitalize() for word in tables.words("outlet_adjectives.txt")}


def discover_outlets(doc, registry):
    """An outlet the outlet table lacks, introduced as one: "the Lebanese daily X", "the X newspaper".
    Leading words that are markers ("Kurdish", "Syrian") or say what kind of outlet it is ("State",
    data/outlet_adjectives.txt) belong to the introduction, not the name."""
    body = doc.text[doc.body_start:]
    if not MEDIUM_WORD.search(body):
        return doc  # most stories name no outlet by what it is: skip the patterns
    for pattern in OUTLET_INTRODUCTIONS:
        for match in pattern.finditer(body):
            start, end = match.start(1) + doc.body_start, match.end(1) + doc.body_start
            words = doc.text[start:end].split(" ")
            while words and (registry.marker(words[0]) or words[0] in ("The", "A", "An")
                             or words[0].capitalize() in _outlet_adjectives()):
                start += len(words.pop(0)) + 1
            if words and not registry.organization_words.get(words[-1].lower()):
                add_discovered(doc, registry, start, end, "source")
    return doc
