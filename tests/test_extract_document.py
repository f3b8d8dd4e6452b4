"""The story document: spans in order, what lies on a stretch of text, and names found without a rescan."""
from digest.extract import extractor_from_files
from digest.extract.document import Span, StoryDoc
from digest.extract.matcher import NameMatcher


def spans(doc):
    return [(s.start, s.end, s.surface) for s in doc.spans]


def test_spans_are_read_in_order_of_start_and_of_adding_when_they_start_together():
    doc = StoryDoc("Russia’s Defence Ministry said", 0)
    for start, end in [(9, 25), (0, 6), (9, 16), (17, 25)]:
        doc.add(Span(start, end, doc.text[start:end]))
    assert spans(doc) == [(0, 6, "Russia"), (9, 25, "Defence Ministry"), (9, 16, "Defence"), (17, 25, "Ministry")]


def test_overlapping_and_free_stretches():
    doc = StoryDoc("U.S. troops crossed near Manbij", 0)
    troops, us, manbij = Span(0, 11, "U.S. troops"), Span(0, 4, "U.S."), Span(25, 31, "Manbij")
    for span in (manbij, troops, us):
        doc.add(span)
    assert doc.overlapping(2, 8) == [troops, us]
    assert doc.overlapping(5, 11) == [troops]
    assert doc.overlapping(11, 25) == [] and doc.is_free(11, 25)
    assert doc.overlapping(20, 40) == [manbij] and not doc.is_free(30, 31)


def test_removed_spans_leave_their_text_free():
    doc = StoryDoc("the town of Daraa al-Balad", 0)
    daraa = Span(12, 17, "Daraa")
    doc.add(daraa)
    doc.remove(doc.overlapping(12, 26))
    assert doc.spans == [] and doc.is_free(0, 26)
    doc.add(Span(12, 26, "Daraa al-Balad"))
    assert spans(doc) == [(12, 26, "Daraa al-Balad")]


def test_setting_the_spans_reindexes_them():
    doc = StoryDoc("Reuters and AFP", 0)
    doc.add(Span(0, 7, "Reuters"))
    doc.spans = [Span(12, 15, "AFP")]
    assert doc.is_free(0, 7) and doc.overlapping(0, 15) == doc.spans


def test_discovery_looks_names_up_without_another_pass_over_the_text(monkeypatch):
    """Only the registry's matcher reads the story; each name found is looked up in the word index."""
    extractor = extractor_from_files()
    passes = []
    find = NameMatcher.find
    monkeypatch.setattr(NameMatcher, "find", lambda self, *args: passes.append(1) or find(self, *args))
    found = extractor.extract("Talks", [
        "Rebels shelled the town of Morek, said Nour Bakar of the Levant Relief Committee. Bakar said the "
        "Levant Relief Committee left Morek, Reuters reports.",
    ]).as_json()
    assert (found["places"], found["actors"]) == (["Morek"], ["Nour Bakar", "Levant Relief Committee"])
    assert len(passes) == 1
