"""The search package's layout holds: short modules, digest independent of search, and Whoosh's
private internals in one module (search.whoosh.codec, written against one Whoosh version)."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEARCH_MODULES = sorted((ROOT / "search").rglob("*.py"))
DIGEST_MODULES = sorted((ROOT / "digest").rglob("*.py"))


@pytest.mark.parametrize("path", SEARCH_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_search_module_is_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_digest_imports_nothing_from_search():
    found = []
    for path in DIGEST_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] == "search"]
    assert found == []


def test_whooshs_private_attributes_are_used_in_the_codec_module_only():
    private = re.compile(r"(?<!self)(?<!cls)\.(_[a-z]\w*)")
    users = {
        str(path.relative_to(ROOT)): sorted(set(private.findall(path.read_text(encoding="utf-8"))))
        for path in (ROOT / "search" / "whoosh").glob("*.py")
    }
    assert {path for path, names in users.items() if names} == {"search/whoosh/codec.py"}
    assert "whoosh-reloaded 2.7.5" in (ROOT / "search" / "whoosh" / "codec.py").read_text(encoding="utf-8")
    assert "whoosh-reloaded==2.7.5" in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()


def test_facets_pages_and_model_name_the_entity_kinds_from_one_table():
    from digest.kinds import ENTITY_KINDS
    from digest.models import Entity
    from digest.selectors import KIND_HEADINGS
    from search.results import FACET_KINDS

    assert [(kind.name, kind.title) for kind in FACET_KINDS.values()] == list(KIND_HEADINGS.items()) == [
        ("place", "Places"), ("actor", "Actors"), ("source", "Sources"),
    ]
    assert [name for name, _ in Entity.KINDS] == [kind.name for kind in ENTITY_KINDS] == list(FACET_KINDS)
