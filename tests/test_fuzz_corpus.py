"""Every input kept in tests/fuzz/<reader>/ (the fuzzer's seeds and the crashes it found, once fixed)
goes through its reader's fuzz target: a digest or a clear refusal, never another exception."""
from pathlib import Path

import pytest

from fuzz.targets import TARGETS

CORPUS = Path(__file__).parent / "fuzz"
INPUTS = sorted((reader, path) for reader in TARGETS for path in (CORPUS / reader).iterdir() if path.is_file())


def test_every_reader_has_seeds():
    assert {reader for reader, _ in INPUTS} == set(TARGETS)


@pytest.mark.parametrize("reader, path", INPUTS, ids=[f"{reader}/{path.name}" for reader, path in INPUTS])
def test_corpus_input_reads_or_is_refused(reader, path):
    TARGETS[reader](path.read_bytes())
