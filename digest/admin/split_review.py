"""The split review shared by a staged upload and a stored digest: what the page shows of a
split (front matter, stories with their flags, reads) and the form every correction posts."""
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q

from digest.ingest.corrections import FRONT_MATTER, HEADLINE, HEADLINE_MAX_CHARS, MERGE, SPLIT, fingerprint
from digest.ingest.document import SplitDigest
from digest.ingest.review import Flag, review_split
from digest.ingest.serialise import split_from_json
from digest.models import Digest, StagedFile


class CorrectionForm(forms.Form):
    """One correction, as the buttons of the review send it (story and paragraph are 0-based)."""

    action = forms.ChoiceField(choices=[
        (MERGE, "merge with the next story"),
        (SPLIT, "split at a paragraph"),
        (FRONT_MATTER, "mark as front matter"),
        (HEADLINE, "edit the headline"),
    ])
    story = forms.IntegerField(min_value=0)
    paragraph = forms.IntegerField(min_value=0, required=False)
    headline = forms.CharField(required=False, max_length=HEADLINE_MAX_CHARS * 2)
    seen = forms.CharField(max_length=64)

    def problem(self):
        """What is wrong with the posted correction, for a message."""
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())


@dataclass
class ParagraphReview:
    index: int
    text: str
    flags: list[Flag] = field(default_factory=list)

    @property
    def number(self):
        return self.index + 1


@dataclass
class StoryReview:
    index: int
    headline: str
    paragraphs: list[ParagraphReview]
    flags: list[Flag]
    last: bool

    @property
    def number(self):
        return self.index + 1

    @property
    def all_flags(self):
        return self.flags + [flag for paragraph in self.paragraphs for flag in paragraph.flags]

    @property
    def paragraph_flagged(self):
        return any(paragraph.flags for paragraph in self.paragraphs)


@dataclass
class SplitReview:
    split: SplitDigest
    stories: list[StoryReview]
    flags: list[Flag]
    fingerprint: str


def split_review(split: SplitDigest, title: str | None = None) -> SplitReview:
    flags = review_split(split, title)
    stories = []
    for index, story in enumerate(split.stories):
        paragraphs = [
            ParagraphReview(at, text, [f for f in flags if f.story == index and f.paragraph == at])
            for at, text in enumerate(story.paragraphs)
        ]
        story_flags = [f for f in flags if f.story == index and f.paragraph is None]
        stories.append(StoryReview(index, story.headline, paragraphs, story_flags, index == len(split.stories) - 1))
    return SplitReview(split, stories, flags, fingerprint(split))


@dataclass
class StagedFileReview:
    """A staged file as its review shows it: its split with flags, or why it cannot be stored."""

    file: StagedFile
    review: SplitReview | None
    duplicate_of: Digest | None = None  # the stored digest with the same bytes
    same_day: Digest | None = None  # the stored digest of the same newsletter and day, which storing would replace

    @property
    def anchor(self):
        return f"file-{self.file.position}"


def staged_file_reviews(upload) -> list[StagedFileReview]:
    """Every file of a staged upload for its review, with what is already stored (two queries)."""
    files = list(upload.files.defer("data"))  # the bytes are for storing, not for the page
    readable = [f for f in files if f.split is not None]
    by_sha = {d.sha256: d for d in Digest.objects.filter(sha256__in=[f.sha256 for f in readable])}
    same_day = Q(pk__in=[])
    for f in readable:
        same_day |= Q(newsletter=f.newsletter, date=f.date)
    by_day = {(d.newsletter, d.date): d for d in Digest.objects.filter(same_day)} if readable else {}
    reviews = []
    for f in files:
        if f.split is None:
            reviews.append(StagedFileReview(f, None))
            continue
        duplicate = by_sha.get(f.sha256)
        day = by_day.get((f.newsletter, f.date))
        reviews.append(StagedFileReview(
            f, split_review(split_from_json(f.split), f.title), duplicate, day if day != duplicate else None,
        ))
    return reviews
