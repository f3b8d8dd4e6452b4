"""Step: keep a news outlet as a cited source only where the text attributes something to it
("Reuters reports", "according to AFP", "the Los Angeles Times wrote on Monday", "per the Wall
Street Journal", "SANA, the official news agency, said", "Al-Arabiya, citing sources, said")."""
import re

BEFORE = re.compile(
    r"(?:according to|told|reported by|quoted by|cited by|reports? by|reporting by|interview with|speaking to|"
    r"said to|quoting|via|per|in|to)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$"
)
# An appositive may stand between the outlet and the verb: "the Sunday Times, Colvin's paper, said".
AFTER = re.compile(
    r"^(?:,\s+citing\b|(?:['’]s)?(?:,[^,\n]{1,40},)?\s+(?:[\w-]+\s+){0,3}?(?:reports?|reported|reporting|"
    r"wrote|writes|said|says|notes?|noted|quoted|quotes|cites?|cited|adds?|added|learned|has learned|reporter|"
    r"correspondent|report|interview|published|obtained|confirmed|revealed|claimed))\b"
)


def keep_attributed_sources(doc, registry):
    kept = []
    for span in doc.spans:
        entity = span.entity
        if entity and entity.kind == "source" and not span.marker:
            # The words around it on its own line, looked for no further than they are read.
            start = doc.text.rfind("\n", max(0, span.start - 60), span.start) + 1
            end = doc.text.find("\n", span.end, span.end + 60)
            before = doc.text[max(start, span.start - 60): span.start]
            after = doc.text[span.end: end if end >= 0 else span.end + 60]
            if not (BEFORE.search(before) or AFTER.search(after)):
                continue
        kept.append(span)
    doc.spans = kept
    return doc
