import os
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_b7d1722ab27881cd.txt"

# Tests never touch the developer's var/ index: unless the environment names a
# search engine (the Solr suite does), each run gets a fresh Whoosh directory.
os.environ.setdefault("SEARCH_URL", "whoosh://" + tempfile.mkdtemp(prefix="archive-test-index-"))


@pytest.fixture
def fixtures_dir():
    return FIXTURES


@pytest.fixture
def seed_path():
    return SEED
