"""Step: keep a news outlet as a cited source only where the text attributes something to it
("Reuters reports", "according to AFP", "the Los Angeles Times wrote on Monday")."""
import re

BEFORE = re.compile(
    r"(?:according to|told|reported by|quoted by|cited by|reports? by|reporting by|interview with|speaking to|"
    r"said to|quoting|via|in|to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)
AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:reports?|reported|reporting|wrote|writes|said|says|notes?|noted|quoted|"
    r"quotes|cites?|cited|adds?|added|learned|has learned|reporter|correspondent|report|interview|published|"
    r"obtained|confirmed|revealed|claimed)\b"
)


def keep_attributed_sources(doc, registry):
    kept = []
    for span in doc.spans:
        entity = span.entity
        if entity and entity.kind == "source" and not span.marker:
            start = doc.text.rfind("\n", 0, span.start) + 1
            end = doc.text.find("\n", span.end)
            before = doc.text[max(start, span.start - 60): span.start]
            after = doc.text[span.end: end if end >= 0 else len(doc.text)][:60]
            if not (BEFORE.search(before) or AFTER.search(after)):
                continue
        kept.append(span)
    doc.spans = kept
    return doc
