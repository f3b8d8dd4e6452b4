"""Markdown digests, parsed with markdown-it-py (CommonMark).

Headings become HEADING blocks; emphasis and links are reduced to the words a
reader sees, but a link's target is kept in Block.url so recommended reads
written as `[Title](url)` keep their address. Front matter (`---` / `key: value`
/ `---`), as static-site tools write it, gives the title and date.
"""
import re

from markdown_it import MarkdownIt

from digest.ingest.dates import parse_any_date
from digest.ingest.document import HEADING, LIST_ITEM, PARAGRAPH, RULE, Block
from digest.ingest.errors import IngestError
from digest.ingest.readers.base import InlineLine, Reader, blocks_from_lines

# markdown-it reads runs of brackets and emphasis marks at some tens of microseconds a character;
# a digest is a few tens of thousands of characters, so past this a file costs time and holds no digest.
MAX_CHARS = 100_000
# Building a parser compiles its rule chains (a sixth of parsing a digest); parse() keeps no state
# in the parser, so one serves every file.
PARSER = MarkdownIt("commonmark")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<fields>(?:[A-Za-z_][\w-]*[ \t]*:.*\n)+)---[ \t]*(?:\n|\Z)")


class MarkdownReader(Reader):
    format = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd")

    def parse(self, text):
        if len(text) > MAX_CHARS:
            raise IngestError(f"the Markdown file has {len(text):,} characters, more than the {MAX_CHARS:,} a digest could have")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        fields = {}
        match = FRONT_MATTER.match(text)
        if match:
            for line in match["fields"].splitlines():
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip().strip("\"'")
            text = text[match.end():]
        return fields, PARSER.parse(text)

    def title(self, parsed):
        return parsed[0].get("title") or None

    def newsletter(self, parsed):
        return parsed[0].get("newsletter") or None

    def date(self, parsed):
        return parse_any_date(parsed[0].get("date", ""))

    def blocks(self, parsed):
        tokens = parsed[1]
        blocks = []
        list_depth = 0
        for index, token in enumerate(tokens):
            if token.type == "list_item_open":
                list_depth += 1
            elif token.type == "list_item_close":
                list_depth -= 1
            elif token.type == "hr":
                blocks.append(Block("", RULE))
            elif token.type == "heading_open":
                lines = _lines(tokens[index + 1].children)
                text = " ".join(" ".join(line.text for line in lines).split())
                if text:
                    url = next((line.url for line in lines if line.url), None)
                    blocks.append(Block(text, HEADING, url=url, level=int(token.tag[1])))
            elif token.type == "paragraph_open":
                kind = LIST_ITEM if list_depth else PARAGRAPH
                blocks.extend(blocks_from_lines(_lines(tokens[index + 1].children), kind, wrapped=True))
            # Code blocks and raw HTML blocks are not digest prose; they are left out.
        return blocks


def _lines(children):
    """An inline token's children as visual lines, each with its first link and whether it is all bold."""
    lines = [InlineLine()]
    strong = 0
    for child in children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append(InlineLine())
        elif child.type == "strong_open":
            strong += 1
        elif child.type == "strong_close":
            strong -= 1
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if lines[-1].url is None and href.lower().startswith(("http://", "https://")):
                lines[-1].url = href
        elif child.type in ("text", "code_inline"):
            lines[-1].add(child.content, bold=strong > 0)
    return lines
