"""Digests written after the rules, in styles the rules were not built from.

Each file in fixtures/digests/heldout/ has a JSON file beside it with what an
editor expects: the date the file itself states (null when only its name
carries one, which the service falls back to), each story's headline and the
opening words of each of its paragraphs, and the recommended reads. A failure here means the rules
do not yet generalise, not that the expectation should be bent to the output.

Where a case was ambiguous the expectation records a decision:
- Every <br>-separated line of a newsletter export is a paragraph of its own
  (astana): exports do not hard-wrap, so a line break is the writer's.
- A multipart/alternative e-mail is read from its HTML part (geneva-four): the
  plain part is the mail tool's rendering of it, with "** Headline" marks.
- Signatures, "Compiled by" lines and the mailing's footer are neither stories
  nor reads (khan-al-assal, ceasefire), even "Our mailing address is: ..."
  which has the shape of an "Outlet: Title" read.
- List numbers leave headlines and reads ("1. Evacuation of Homs..."), but a
  paragraph keeps a number it starts with ("10. That is the number of...").
- A read splits at its first separator, colon or spaced dash, so "The Guardian
  — Why Putin Went In: Five Theories" keeps its colon in the title.
- A date beside words in a title line counts as the digest's date ("Syria Digest
  - February 10, 2014"); files that state no date expect none here.
"""
from pathlib import Path

import pytest

HELDOUT = Path(__file__).parent / "fixtures" / "digests" / "heldout"
DIGESTS = sorted(path for path in HELDOUT.iterdir() if path.suffix != ".json")


def test_every_heldout_digest_has_an_expectation():
    assert len(DIGESTS) == 10
    assert all(path.with_suffix(".json").exists() for path in DIGESTS)


@pytest.mark.parametrize("path", DIGESTS, ids=lambda path: path.name)
def test_heldout_digest_splits_as_an_editor_expects(path, split_matches_expectation):
    split_matches_expectation(path)
