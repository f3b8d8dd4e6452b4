"""Issues laid out as the real archive's are: front matter, run-in headlines, weekly link sections.

tests/fixtures/archive_issues/heldout/ holds digests written in the layouts of a real newsletter's
archive pages (text copied from the page, Markdown, the page saved whole, e-mail) before the
front-matter rules were written; layouts/ holds the ones the rules were developed on. Each has a
JSON file beside it with what an editor expects: the date the file states (null when it states
none), the title, the openings of front-matter paragraphs that must not become stories, each
story's headline and the openings of its paragraphs, and the reads. bench/split_score.py prints
the same comparison as figures.

Decisions the expectations record:
- A run-in headline ("Inspectors Begin Destroying Chemical Arsenal. The Associated Press reports
  ...") loses its final period; a label run-in ("Raqqa Endgame: The U.S.-backed ...") its colon.
- Headline-only links under "More Recent Stories to Look Out for at Syria Deeply" are reads of the
  outlet the heading names, each line a whole title (its own colon kept).
- Sign-offs, contact lines, share buttons, cookie notices and "Related Articles" lists are nothing.
- A site-wide preamble above the issue ("Dear Deeply Readers, Welcome to the archive...") is
  front matter in a copied text; a saved page's article extraction leaves it out.
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ISSUES = Path(__file__).parent / "fixtures" / "archive_issues"
DIGESTS = sorted(path for folder in ("heldout", "layouts") for path in (ISSUES / folder).iterdir() if path.suffix != ".json")


def test_every_archive_issue_has_an_expectation():
    assert len([path for path in DIGESTS if path.parent.name == "heldout"]) == 10
    assert all(path.with_suffix(".json").exists() for path in DIGESTS)


@pytest.mark.parametrize("path", DIGESTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_archive_issue_splits_as_an_editor_expects(path, split_matches_expectation):
    split_matches_expectation(path)


def test_the_score_script_prints_stories_exact_and_dates_read(capsys):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import split_score
    finally:
        sys.path.remove(str(ROOT / "bench"))

    split_score.main(["--set", "archive-heldout"])

    line = capsys.readouterr().out
    assert "stories exact 30/30 (100.0%)" in line and "dates read 10/10 (100.0%)" in line and "spurious 0" in line
