"""Plain data passed along the ingestion pipeline: read -> split -> extract -> store.

Readers turn bytes into a ReadDocument (blocks of text with what the format
says about them); the splitter turns blocks into a SplitDigest. Nothing here
knows about Django.
"""
import datetime
from dataclasses import dataclass, field

# Block kinds. A format that marks structure (HTML, Markdown, e-mail HTML) says
# HEADING or PARAGRAPH; plain text only knows LINE and leaves the role to the splitter.
HEADING = "heading"
PARAGRAPH = "paragraph"
LINE = "line"
LIST_ITEM = "list_item"
RULE = "rule"


@dataclass
class Block:
    text: str
    kind: str = LINE
    url: str | None = None  # the block's link target, where the format has links
    level: int = 0  # heading level (1-6) for HEADING blocks


@dataclass
class ReadDocument:
    """What a reader found in one file, before splitting."""

    blocks: list[Block]
    source_text: str  # the decoded text, verbatim, for provenance
    source_format: str  # "text", "html", "email", "markdown"
    title: str | None = None
    newsletter: str | None = None
    date: datetime.date | None = None


@dataclass
class SplitStory:
    headline: str
    paragraphs: list[str]


@dataclass
class SplitRead:
    outlet: str
    title: str
    url: str | None = None


@dataclass
class SplitDigest:
    stories: list[SplitStory]
    recommended_reads: list[SplitRead] = field(default_factory=list)
    title: str | None = None
    date: datetime.date | None = None
    # The issue's own front matter before its first story: title lines, blurbs, datelines, greetings.
    front_matter: list[str] = field(default_factory=list)
