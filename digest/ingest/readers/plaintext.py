"""Plain text digests: one LINE block per line, blank lines kept.

Plain text carries no structure of its own, so the reader keeps the layout
exactly (blank lines, short lines, wrapped lines) and leaves deciding what is
a headline or a paragraph to the splitter.
"""
from digest.ingest.document import LINE, Block
from digest.ingest.readers.base import Reader


class PlainTextReader(Reader):
    format = "text"
    extensions = (".txt", ".text", "")

    def blocks(self, text):
        # splitlines() accepts LF, CRLF and lone CR alike.
        return [Block(line.strip(), LINE) for line in text.splitlines()]
