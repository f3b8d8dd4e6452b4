"""digest/ingest/serialise.py: a split survives JSON (and the database's JSONField) unchanged."""
import json

from digest.ingest.readers import read_document
from digest.ingest.serialise import split_as_json, split_from_json
from digest.ingest.splitter import split_digest


def test_a_split_goes_to_json_and_back_unchanged(fixtures_dir, seed_path):
    for path in [seed_path, fixtures_dir / "digests" / "2016-12-14-aleppo.html",
                 fixtures_dir / "digests" / "2013-08-22-ghouta.eml"]:
        split = split_digest(read_document(path.name, path.read_bytes()))
        split.front_matter = ["Syria Daily Digest", "Good morning."]
        data = json.loads(json.dumps(split_as_json(split)))

        assert split_from_json(data) == split


def test_the_json_is_plain(seed_path):
    split = split_digest(read_document(seed_path.name, seed_path.read_bytes()))
    data = split_as_json(split)
    assert data["date"] is None
    assert data["stories"][1] == {"headline": "Proposal for Refugee ‘Safe Zones’ Gains Traction",
                                  "paragraphs": split.stories[1].paragraphs}
    assert data["recommended_reads"][0] == {"outlet": "Deutsche Welle", "title": "Syria Looks to Moscow for Help",
                                            "url": None}
