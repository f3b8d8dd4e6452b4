"""The shape every reader shares.

Like django.contrib.syndication's Feed, a format is a small subclass: it names
its extensions, says how to recognise itself when the extension does not, and
overrides the few methods that differ (parse, blocks, title, newsletter, date).
`read()` ties them together so every format ends in the same ReadDocument.
"""
from dataclasses import dataclass

from digest.ingest.document import HEADING, LINE, PARAGRAPH, Block, ReadDocument
from digest.ingest.errors import IngestError
from digest.ingest.readers.decoding import decode_text

# Heading level given to a paragraph set entirely in bold: newsletters made in
# mail editors mark headlines that way instead of with <h2>.
BOLD_HEADING_LEVEL = 6
# A long digest has a few hundred lines. Past this many the file is something else (a log, a
# mailbox, a book), and reading it line by line would keep a worker busy for minutes.
MAX_LINES = 20_000


class Reader:
    format = ""  # ReadDocument.source_format
    extensions: tuple[str, ...] = ()

    def sniff(self, head: bytes) -> bool:
        """Whether a file whose name says nothing (.txt, no extension) is really this format."""
        return False

    def read(self, data: bytes) -> ReadDocument:
        return self.read_text(decode_text(data))

    def read_text(self, text: str) -> ReadDocument:
        lines = text.count("\n") + text.count("\r") - text.count("\r\n")
        if lines > MAX_LINES:
            raise IngestError(f"the file has {lines:,} lines, more than the {MAX_LINES:,} any digest could have")
        parsed = self.parse(text)
        # Metadata first: blocks() may strip the parsed form (boilerplate removal).
        title, newsletter, date = self.title(parsed), self.newsletter(parsed), self.date(parsed)
        return ReadDocument(
            blocks=self.blocks(parsed),
            source_text=text,
            source_format=self.format,
            title=title,
            newsletter=newsletter,
            date=date,
        )

    def parse(self, text: str):
        return text

    def blocks(self, parsed) -> list[Block]:
        raise NotImplementedError

    def title(self, parsed) -> str | None:
        return None

    def newsletter(self, parsed) -> str | None:
        return None

    def date(self, parsed):
        return None


@dataclass
class InlineLine:
    """One visual line of a marked-up paragraph, as the HTML and Markdown readers see it."""

    text: str = ""
    url: str | None = None
    bold_chars: int = 0  # visible characters set in bold

    def add(self, text: str, bold: bool):
        self.text += text
        if bold:
            self.bold_chars += len("".join(text.split()))

    @property
    def bold(self) -> bool:
        """All in bold: how mail editors mark a headline."""
        if not self.bold_chars:
            return False  # most lines: no need to count the visible characters
        visible = len("".join(self.text.split()))
        return visible > 0 and self.bold_chars == visible


def blocks_from_lines(lines: list[InlineLine], kind: str, wrapped: bool = False) -> list[Block]:
    """Blocks for one paragraph-like element of a marked-up format.

    Each visual line is a block of `kind` (a HEADING when all in bold: a
    "<b>Headline</b><br>text" paragraph is a headline and a paragraph). Where
    line breaks may only be wrapping (Markdown soft breaks), a paragraph's lines
    come out as LINE blocks closed by a blank one, the shape of plain text, and
    the splitter decides which lines belong together.
    """
    lines = [InlineLine(" ".join(line.text.split()), line.url, line.bold_chars) for line in lines]
    while lines and not lines[-1].text:
        lines.pop()
    while lines and not lines[0].text:
        lines.pop(0)
    if wrapped and kind == PARAGRAPH and len(lines) > 1:
        return [_line_block(line, LINE) for line in lines] + [Block("", LINE)]
    return [_line_block(line, kind) for line in lines if line.text]


def _line_block(line, kind):
    if line.bold:
        return Block(line.text, HEADING, url=line.url, level=BOLD_HEADING_LEVEL)
    return Block(line.text, kind, url=line.url)
