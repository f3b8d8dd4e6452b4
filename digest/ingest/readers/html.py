"""HTML newsletter pages: headings, paragraphs and list items, without the page around them.

A newsletter page wraps the digest in a masthead, navigation, a footer and
unsubscribe/"view in browser"/share links. Those are removed before the page
is walked, so they can never become stories or reads.
"""
import re

from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString

from digest.ingest.dates import parse_any_date, parse_date_line
from digest.ingest.document import HEADING, LIST_ITEM, PARAGRAPH, RULE, Block
from digest.ingest.readers.base import InlineLine, Reader, blocks_from_lines

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BOLD_TAGS = {"strong", "b"}
# Elements that flow inside a line of text; anything else starts a new block.
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
}
# Never content, wherever they are.
DROPPED_TAGS = ["script", "style", "template", "noscript", "nav", "form", "button", "iframe", "svg", "img",
                "select", "input", "aside", "object", "embed", "video", "audio", "map"]
DROPPED_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
# Words in a class or id that mark page furniture ("site-footer", "social_links", "nav").
FURNITURE_WORDS = {
    "masthead", "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "unsubscribe",
    "social", "share", "sharing", "preheader", "sidebar", "advert", "advertisement", "sponsor", "toolbar",
}
# "header" names the page's masthead ("site-header", "templateHeader") unless it heads a story.
STORY_WORDS = {"story", "article", "post", "entry", "item", "card", "section"}
# Links that belong to the mailing, not to the digest: the block holding them goes.
MAILING_LINK_TEXT = re.compile(
    r"unsubscribe|view (?:this |it |the )?(?:e-?mail|newsletter|message|issue|online)|view (?:it )?in (?:your |a )?browser"
    r"|web version|online version|(?:manage|update|change) (?:your )?(?:e-?mail )?(?:preferences|subscription)"
    r"|forward (?:this )?to a friend|opt[- ]out",
    re.IGNORECASE,
)
MAILING_LINK_HREF = re.compile(r"unsubscribe|optout|opt-out|/profile\?|preferences|\*\|", re.IGNORECASE)
# Share and follow links: dropped, and their block too when little else is in it.
SOCIAL_LINK_TEXT = re.compile(
    r"^\s*(?:share(?: (?:this|on \w+))?|tweet(?: this)?|like us.*|follow us.*|facebook|twitter|linkedin|instagram"
    r"|whatsapp|youtube|telegram|e-?mail this|x)\s*$",
    re.IGNORECASE,
)
SOCIAL_LINK_HREF = re.compile(
    r"sharer|/share\b|share\?|intent/tweet|shareArticle|addtoany|^mailto:\?|facebook\.com|twitter\.com|x\.com/"
    r"|linkedin\.com|instagram\.com|youtube\.com|t\.me/|whatsapp",
    re.IGNORECASE,
)
# A block with fewer other characters than this beside a share link is a share bar.
SOCIAL_BLOCK_REST = 60
# A mailing tool's placeholder ("*|MC:SUBJECT|*") left in a saved page says nothing.
MERGE_TAG = re.compile(r"\*\|[^|]*\|\*")
DATE_META = [
    {"property": "article:published_time"},
    {"name": "date"},
    {"name": "dc.date"},
    {"name": "DC.date"},
    {"name": "pubdate"},
    {"name": "publish-date"},
    {"itemprop": "datePublished"},
]
DATE_WORDS = {"date", "dateline", "pubdate"}


class HtmlReader(Reader):
    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head):
        start = head.lstrip().lower()
        return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start[:4096]

    def parse(self, text):
        return BeautifulSoup(text, "html.parser")

    def title(self, soup):
        for element in (soup.title, soup.find("h1")):
            text = _collapse(element.get_text(" ")) if element is not None else ""
            if text and not MERGE_TAG.search(text):
                return text
        return None

    def newsletter(self, soup):
        for attrs in ({"property": "og:site_name"}, {"name": "application-name"}):
            meta = soup.find("meta", attrs=attrs)
            if meta is not None and meta.get("content", "").strip():
                return _collapse(meta["content"])
        return None

    def date(self, soup):
        for time in soup.find_all("time"):
            found = parse_any_date(time.get("datetime", "")) or parse_any_date(_collapse(time.get_text(" ")))
            if found:
                return found
        for attrs in DATE_META:
            meta = soup.find("meta", attrs=attrs)
            if meta is not None:
                found = parse_any_date(meta.get("content", ""))
                if found:
                    return found
        for element in soup.find_all(lambda tag: DATE_WORDS.intersection(_mark_words(tag))):
            found = parse_date_line(_collapse(element.get_text(" ")))
            if found:
                return found
        return None

    def blocks(self, soup):
        _remove_furniture(soup)
        body = soup.body or soup
        blocks = []
        _walk(body, blocks, PARAGRAPH)
        return blocks


def _collapse(text):
    return " ".join(text.split())


def _mark_words(tag):
    """The words of a tag's class names and id ("site-footer", "footerContent" -> footer, content).

    Pages name their furniture there, so that is where it is recognised.
    """
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    words = set()
    for mark in [*classes, tag.get("id") or ""]:
        words.update(word.lower() for word in re.split(r"[-_\s]+|(?<=[a-z])(?=[A-Z])", mark) if word)
    return words


def _is_furniture(tag):
    if tag.name in ("header", "footer") and tag.find_parent("article") is None:
        return True
    if (tag.get("role") or "").lower() in DROPPED_ROLES:
        return True
    words = _mark_words(tag)
    if not (FURNITURE_WORDS & words or ("header" in words and not STORY_WORDS & words)):
        return False
    # A class such as "page-with-sidebar" on the element that holds the stories: furniture never
    # holds several headings.
    return tag.name not in ("html", "body", "main", "article") and len(tag.find_all(list(HEADINGS), limit=2)) < 2


def _remove_furniture(soup):
    if soup.head is not None:
        soup.head.decompose()
    for tag in soup.find_all(DROPPED_TAGS):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(_is_furniture):
        if not tag.decomposed:
            tag.decompose()
    for link in soup.find_all("a"):
        if link.decomposed:
            continue
        text, href = _collapse(link.get_text(" ")), link.get("href", "")
        block = link.find_parent(["p", "li", "td", "th", "div", "tr"])
        if MAILING_LINK_TEXT.search(text) or MAILING_LINK_HREF.search(href):
            (block or link).decompose()
        elif SOCIAL_LINK_TEXT.match(text) or (SOCIAL_LINK_HREF.search(href) and len(text) < 30):
            # A share bar goes whole; a story sentence that links "Twitter" keeps its word.
            if block is None:
                link.decompose()
            elif len(_collapse(block.get_text(" "))) - len(text) < SOCIAL_BLOCK_REST and not block.find([*HEADINGS, "p"]):
                block.decompose()


def _walk(element, blocks, kind):
    """Append the blocks of `element`'s children: block elements in turn, runs of inline content as lines."""
    run = []
    for child in element.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString) or (child.name in INLINE_TAGS and not _holds_blocks(child)):
            run.append(child)
            continue
        blocks.extend(blocks_from_lines(_lines(run), kind))
        run = []
        if child.name in HEADINGS:
            text = _collapse(child.get_text(" "))
            if text:
                blocks.append(Block(text, HEADING, url=_first_url(child), level=int(child.name[1])))
        elif child.name == "hr":
            blocks.append(Block("", RULE))
        elif child.name == "li":
            _walk(child, blocks, LIST_ITEM)
        elif child.name in ("p", "dd", "dt", "blockquote", "pre", "address", "figcaption", "caption"):
            _walk(child, blocks, PARAGRAPH)
        else:
            _walk(child, blocks, kind)
    blocks.extend(blocks_from_lines(_lines(run), kind))


def _holds_blocks(tag):
    return tag.find(lambda descendant: descendant.name not in INLINE_TAGS) is not None


def _lines(nodes):
    """Inline nodes as visual lines (split at <br>), each with its first link and whether it is all bold."""
    lines = [InlineLine()]

    def visit(node, bold):
        if isinstance(node, PreformattedString):
            return
        if isinstance(node, NavigableString):
            lines[-1].add(str(node), bold)
            return
        if node.name == "br":
            lines.append(InlineLine())
            return
        if node.name == "a" and lines[-1].url is None and _is_web_link(node.get("href", "")):
            lines[-1].url = node["href"].strip()
        for child in node.children:
            visit(child, bold or node.name in BOLD_TAGS)

    for node in nodes:
        visit(node, False)
    return lines


def _is_web_link(href):
    return href.strip().lower().startswith(("http://", "https://"))


def _first_url(tag):
    for link in tag.find_all("a"):
        if _is_web_link(link.get("href", "")):
            return link["href"].strip()
    return None
