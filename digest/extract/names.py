"""Step: find every name the registry knows (aliases, gazetteer names, stop forms, titles, demonyms)."""
from .document import Span
from .matcher import NameMatcher


def match_names(doc, registry):
    for hit in registry.matcher.find(doc.text):
        if isinstance(hit.value, str):
            doc.add(Span(hit.start, hit.end, hit.surface, marker=hit.value))
        else:
            doc.add(Span(hit.start, hit.end, hit.surface, candidates=hit.value))
    return doc


def add_everywhere(doc, entity, forms):
    """Recognise a newly found entity wherever the story names it again, where nothing else was found."""
    for hit in NameMatcher(dict.fromkeys(forms, entity)).find(doc.text):
        if doc.is_free(hit.start, hit.end):
            doc.add(Span(hit.start, hit.end, hit.surface, candidates=(hit.value,)))
    return doc
