"""A SplitDigest as JSON and back, for a split kept between requests (a staged upload)."""
import dataclasses
import datetime

from .document import SplitDigest, SplitRead, SplitStory


def split_as_json(split: SplitDigest) -> dict:
    data = dataclasses.asdict(split)
    data["date"] = split.date.isoformat() if split.date else None
    return data


def split_from_json(data: dict) -> SplitDigest:
    data = dict(data)
    data["stories"] = [SplitStory(**story) for story in data["stories"]]
    data["recommended_reads"] = [SplitRead(**read) for read in data.get("recommended_reads", [])]
    data["date"] = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
    return SplitDigest(**data)
