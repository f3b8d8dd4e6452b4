"""HTML newsletter pages: headings, paragraphs and list items, without the page around them.

A newsletter page wraps the digest in a masthead, navigation, a footer and
unsubscribe/"view in browser"/share links. Those are marked before the page is
walked and the walk passes them by, so they can never become stories or reads.
(Marked, not cut out of the tree: cutting an element out costs the length of
its parent's list of children, so a page of ten thousand share links would cost
a hundred million steps.)

Every pass over the page is a loop over a stack, not recursion, and visits
each element about once; a page nested deeper than any newsletter is refused
before them. A hostile page is read in seconds or refused, never left running.
"""
import json
import logging
import re
from dataclasses import dataclass

import trafilatura
from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString, Tag
from bs4.exceptions import ParserRejectedMarkup

from digest.ingest.dates import is_date_line, parse_any_date, parse_date_line
from digest.ingest.document import HEADING, LIST_ITEM, PARAGRAPH, RULE, Block
from digest.ingest.errors import IngestError
from digest.ingest.readers.base import InlineLine, Reader, blocks_from_lines
from digest.ingest.splitter import is_section_heading

logger = logging.getLogger(__name__)

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
    {"property": "og:article:published_time"},
    {"name": "date"},
    {"name": "dc.date"},
    {"name": "DC.date"},
    {"name": "pubdate"},
    {"name": "publish-date"},
    {"itemprop": "datePublished"},
]
DATE_WORDS = {"date", "dateline", "pubdate"}
# A saved page of a news site: the archive's article inside navigation, banners, share buttons and
# lists of other articles. Its main content is taken out by trafilatura before the page is walked.
WEB_PAGE_MARKS = [
    {"name": "article"}, {"name": "main"}, {"name": "meta", "attrs": {"property": "og:type"}},
    {"name": "meta", "attrs": {"property": "article:published_time"}},
    {"name": "script", "attrs": {"type": "application/ld+json"}},
]
# trafilatura slows sharply past several thousand elements (9 s at 19,000); an archive page has a
# few thousand at most, so a larger page is read whole rather than risk a slow worker.
MAX_EXTRACT_ELEMENTS = 6_000
# JSON-LD blocks are small; a larger one is not read (it would only cost time).
MAX_JSON_LD_CHARS = 100_000
JSON_LD_MAX_NODES = 5_000
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "report"}
# Text compared between a block and the main content trafilatura found, after folding case and spaces.
MATCH_CHARS = 60
# Title suffixes naming the site ("Executive Summary for May 3rd | Syria Deeply").
TITLE_SUFFIX = re.compile(r"\s+(?:\||-|\u2013|\u2014|::)\s+(?P<site>[^|\u2013\u2014]{2,60})$")
# No newsletter nests elements this deep (mail templates reach 30 or so, sloppy pages with unclosed
# <font> tags a few hundred); a page that does is damaged or built to make every pass slow.
MAX_DEPTH = 1000
# Nor has one this many elements (a long digest has a few thousand); parsing them alone would take many seconds.
MAX_ELEMENTS = 20_000
START_TAG = re.compile(r"<[a-zA-Z]")
# Python's html.parser scans to the end of the page again for every "<" that opens a tag, end tag,
# declaration or comment it cannot close: a page of "<a<a<a..." takes minutes. Such a "<" is
# text, as a browser shows it, so it is escaped before parsing; a comment that never closes hides
# the rest of the page, as in a browser.
STRAY_BRACKET = re.compile(r"<(?!!--|!\[?[^<>]*>|\?[^<>]*>|/?[A-Za-z][^<>]*>)")
# html.parser knows the marked sections of SGML (<![CDATA[ ]]>) and of Outlook's conditional comments
# (<![if !mso]>, <![endif]>) and rejects the page at any other "<![": a browser reads that as a
# bogus comment up to the next ">", and so does html.parser once the "[" is gone.
UNKNOWN_MARKED_SECTION = re.compile(
    r"<!\[(?!(?:temp|cdata|ignore|include|rcdata|if|else|endif)(?![-_.a-z0-9]))", re.IGNORECASE
)
# Elements a link's block can be: what goes when the link says the block is mailing furniture.
LINK_BLOCKS = {"p", "li", "td", "th", "div", "tr"}


class HtmlReader(Reader):
    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head):
        start = head.lstrip().lower()
        return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start[:4096]

    def parse(self, text):
        if len(START_TAG.findall(text)) > MAX_ELEMENTS:
            raise IngestError(
                f"the page has more than {MAX_ELEMENTS:,} HTML elements, far more than any newsletter; "
                "it is not read (is it a whole saved website?)"
            )
        text = UNKNOWN_MARKED_SECTION.sub("<!", _without_stray_brackets(text))
        try:
            soup = BeautifulSoup(text, "html.parser")
        except ParserRejectedMarkup as error:
            raise IngestError(f"the page's markup cannot be parsed ({_parser_reason(error)}); save or export it again") from None
        if _deeper_than(soup, MAX_DEPTH):
            raise IngestError(
                f"the page nests its elements more than {MAX_DEPTH:,} levels deep, which no newsletter does; "
                "it is probably damaged: save or export it again"
            )
        return Page(soup, text)

    def title(self, page):
        soup = page.soup
        og_title = soup.find("meta", attrs={"property": "og:title"})
        candidates = [og_title.get("content", "") if og_title is not None else ""]
        h1 = soup.find("h1")
        heading = _collapse(h1.get_text(" ")) if h1 is not None else ""
        for element in (soup.title, h1):
            candidates.append(element.get_text(" ") if element is not None else "")
        for candidate in candidates:
            text = _collapse(candidate)
            if text and not MERGE_TAG.search(text):
                return _without_site_suffix(text, self.newsletter(page), heading)
        return None

    def newsletter(self, page):
        soup = page.soup
        for attrs in ({"property": "og:site_name"}, {"name": "application-name"}):
            meta = soup.find("meta", attrs=attrs)
            if meta is not None and meta.get("content", "").strip():
                return _collapse(meta["content"])
        return None

    def date(self, page):
        """The page's own publication date: its metadata (article:published_time, JSON-LD datePublished,
        other date meta), else a <time> element, else an element marked as the date."""
        soup = page.soup
        for attrs in DATE_META[:2]:
            meta = soup.find("meta", attrs=attrs)
            found = meta is not None and parse_any_date(meta.get("content", ""))
            if found:
                return found
        found = _json_ld_date(soup)
        if found:
            return found
        for attrs in DATE_META[2:]:
            meta = soup.find("meta", attrs=attrs)
            found = meta is not None and parse_any_date(meta.get("content", ""))
            if found:
                return found
        for time in soup.find_all("time"):
            found = parse_any_date(time.get("datetime", "")) or parse_any_date(_collapse(time.get_text(" ")))
            if found:
                return found
        for element in soup.find_all(lambda tag: DATE_WORDS.intersection(_mark_words(tag))):
            found = parse_date_line(_collapse(element.get_text(" ")))
            if found:
                return found
        return None

    def blocks(self, page):
        soup = page.soup
        skip = _furniture(soup)
        blocks = []
        _walk(soup.body or soup, blocks, PARAGRAPH, skip)
        if _is_web_page(soup) and len(START_TAG.findall(page.text)) <= MAX_EXTRACT_ELEMENTS:
            blocks = _main_content(blocks, page.text)
        return blocks


@dataclass
class Page:
    """A parsed page and the text it was parsed from (what the boilerplate remover reads)."""

    soup: BeautifulSoup
    text: str


def _without_site_suffix(title, site, heading=""):
    """"Executive Summary for May 3rd" from "Executive Summary for May 3rd | Syria Deeply": the suffix
    goes when it names the page's site, or when the page's own <h1> is the title without it (a section's
    name, "Syria Deeply" on a "News Deeply" site, is not the site's name); a date is never a site's name."""
    match = TITLE_SUFFIX.search(title)
    if match and (
        site and match["site"].strip().lower() == site.strip().lower()
        or heading and title[:match.start()].strip() == heading and not is_date_line(match["site"])
    ):
        return title[:match.start()].strip()
    return title


def _is_web_page(soup):
    """Whether the page is a news site's page (article, main, article metadata) rather than a mailing."""
    return any(soup.find(mark["name"], attrs=mark.get("attrs", {})) is not None for mark in WEB_PAGE_MARKS)


def _main_content(blocks, text):
    """The blocks of the page's article: from the first to the last block trafilatura keeps as main
    content, and a reads or link section straight after it (boilerplate removers drop link lists).

    trafilatura is told to find the article, not to give its text: the blocks stay ours, with their
    headings, bold lines and links. When it finds nothing that matches, the whole page is kept.
    """
    try:
        extracted = trafilatura.extract(
            text, output_format="txt", include_comments=False, include_tables=True, include_links=False,
            include_images=False, deduplicate=False,
        )
    except Exception:  # a page lxml cannot build a tree of: keep the whole walk
        logger.debug("boilerplate removal failed", exc_info=True)
        return blocks
    if not extracted:
        return blocks
    kept = {_match_key(line) for line in extracted.splitlines() if line.strip()}
    matched = [i for i, block in enumerate(blocks) if block.text and _match_key(block.text) in kept]
    if len(matched) < 2:
        return blocks
    first, last = matched[0], matched[-1]
    end = last + 1
    in_section = False  # whether the span ends inside a reads or link section
    for block in reversed(blocks[first:end]):
        if is_section_heading(block.text):
            in_section = True
        if in_section or not (block.kind == LIST_ITEM or block.url or block.kind == RULE):
            break
    while end < len(blocks):
        block = blocks[end]
        if is_section_heading(block.text):
            in_section = True
        elif not (in_section and (block.kind == LIST_ITEM or block.url or block.kind == RULE)):
            break
        end += 1
    return blocks[first:end]


def _match_key(text):
    return " ".join(text.split()).lower()[:MATCH_CHARS]


def _json_ld_date(soup):
    """datePublished of the page's article in its JSON-LD, or of anything there when no article says."""
    found_any = None
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        source = script.string or ""
        if len(source) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(source)
        except ValueError:
            continue
        stack, seen = [data], 0
        while stack and seen < JSON_LD_MAX_NODES:
            node = stack.pop()
            seen += 1
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                value = node.get("datePublished")
                found = isinstance(value, str) and parse_any_date(value)
                if found:
                    kinds = node.get("@type", "")
                    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
                    if any(str(kind).lower() in ARTICLE_TYPES for kind in kinds):
                        return found
                    found_any = found_any or found
                stack.extend(value for value in node.values() if isinstance(value, (dict, list)))
    return found_any


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


def _without_stray_brackets(text):
    last_close = text.rfind("-->")
    unclosed = text.find("<!--", last_close + 3 if last_close >= 0 else 0)
    if unclosed >= 0:
        text = text[:unclosed]
    return STRAY_BRACKET.sub("&lt;", text)


def _parser_reason(error):
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def _deeper_than(soup, depth_limit):
    stack = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > depth_limit:
            return True
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return False


def _tags(root, skip):
    """The elements inside `root` in document order, passing by those in `skip` and all they hold."""
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if id(tag) in skip:
            continue
        yield tag
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))


def _text(root, skip):
    """The visible text of an element, as get_text() gives it but without what `skip` holds."""
    parts = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, PreformattedString) or id(node) in skip:
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        else:
            stack.extend(reversed(node.contents))
    return _collapse(" ".join(parts))


def _furniture(soup):
    """The ids of the elements that are the page around the digest: dropped tags, furniture, mailing links."""
    skip = {id(tag) for tag in soup.find_all(DROPPED_TAGS)}
    if soup.head is not None:
        skip.add(id(soup.head))
    heading_counts = _heading_counts(tag for tag in _tags(soup, skip) if tag.name in HEADINGS)
    stack = [(soup, False)]
    while stack:
        tag, in_article = stack.pop()
        for child in tag.contents:
            if not isinstance(child, Tag) or id(child) in skip:
                continue
            if _is_furniture(child, in_article, heading_counts):
                skip.add(id(child))
            else:
                stack.append((child, in_article or child.name == "article"))
    for link, block in _outer_links(soup, skip):
        if id(link) in skip or id(block) in skip:
            continue
        text, href = _text(link, skip), link.get("href", "")
        if MAILING_LINK_TEXT.search(text) or MAILING_LINK_HREF.search(href):
            skip.add(id(block or link))
        elif SOCIAL_LINK_TEXT.match(text) or (SOCIAL_LINK_HREF.search(href) and len(text) < 30):
            # A share bar goes whole; a story sentence that links "Twitter" keeps its word.
            if block is None:
                skip.add(id(link))
            elif not _text_longer_than(block, len(text) + SOCIAL_BLOCK_REST, skip) and not any(
                tag.name in HEADINGS or tag.name == "p" for tag in _tags(block, skip)
            ):
                skip.add(id(block))
    return skip


def _is_furniture(tag, in_article, heading_counts):
    if tag.name in ("header", "footer") and not in_article:
        return True
    if (tag.get("role") or "").lower() in DROPPED_ROLES:
        return True
    words = _mark_words(tag)
    if not (FURNITURE_WORDS & words or ("header" in words and not STORY_WORDS & words)):
        return False
    # A class such as "page-with-sidebar" on the element that holds the stories: furniture never
    # holds several headings.
    return tag.name not in ("html", "body", "main", "article") and heading_counts.get(id(tag), 0) < 2


def _heading_counts(headings):
    """How many of the headings (0, 1, or 2 meaning two or more) each element holds, by element id."""
    counts = {}
    for heading in headings:
        parent = heading.parent
        while parent is not None and counts.get(id(parent), 0) < 2:
            counts[id(parent)] = counts.get(id(parent), 0) + 1
            parent = parent.parent
    return counts


def _text_longer_than(tag, limit, skip):
    """Whether a tag's visible text is longer than `limit`, reading no more of it than that."""
    length = 0
    stack = [tag]
    while stack:
        node = stack.pop()
        if isinstance(node, PreformattedString) or id(node) in skip:
            continue
        if isinstance(node, NavigableString):
            length += len(" ".join(node.split())) + 1
            if length > limit + 1:
                return True
        else:
            stack.extend(reversed(node.contents))
    return False


def _outer_links(soup, skip):
    """Each link that is not inside another link, with the nearest block element around it (or None)."""
    links = []
    stack = [(soup, None)]
    while stack:
        tag, block = stack.pop()
        for child in tag.contents:
            if not isinstance(child, Tag) or id(child) in skip:
                continue
            if child.name == "a":
                links.append((child, block))
            else:
                stack.append((child, child if child.name in LINK_BLOCKS else block))
    return links


# Elements whose content is of one kind, whatever holds them.
CONTENT_KINDS = {"li": LIST_ITEM, **dict.fromkeys(["p", "dd", "dt", "blockquote", "pre", "address", "figcaption", "caption"], PARAGRAPH)}


def _walk(root, blocks, kind, skip):
    """Append the blocks of `root`'s children: block elements in turn, runs of inline content as lines."""
    holders = _block_holders(root, skip)
    stack = [(iter(root.children), kind, [])]  # per open element: its remaining children, its kind, its inline run
    while stack:
        children, kind, run = stack[-1]
        child = next(children, None)
        if child is None:
            blocks.extend(blocks_from_lines(_lines(run, skip), kind))
            stack.pop()
            continue
        if isinstance(child, PreformattedString) or id(child) in skip:  # comments, doctype, CDATA; furniture
            continue
        if isinstance(child, NavigableString) or (child.name in INLINE_TAGS and id(child) not in holders):
            run.append(child)
            continue
        blocks.extend(blocks_from_lines(_lines(run, skip), kind))
        run.clear()
        if child.name in HEADINGS:
            text = _text(child, skip)
            if text:
                blocks.append(Block(text, HEADING, url=_first_url(child, skip), level=int(child.name[1])))
        elif child.name == "hr":
            blocks.append(Block("", RULE))
        else:
            stack.append((iter(child.children), CONTENT_KINDS.get(child.name, kind), []))


def _block_holders(root, skip):
    """The ids of the elements that hold a block element somewhere inside: an <a> or <b> around a <div>.

    Each element's ancestors are marked once, so a deep page costs one pass.
    """
    holders = set()
    for tag in _tags(root, skip):
        if tag.name in INLINE_TAGS:
            continue
        parent = tag.parent
        while parent is not None and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    return holders


def _lines(nodes, skip):
    """Inline nodes as visual lines (split at <br>), each with its first link and whether it is all bold."""
    lines = [InlineLine()]
    stack = [(node, False) for node in reversed(nodes)]
    while stack:
        node, bold = stack.pop()
        if isinstance(node, PreformattedString) or id(node) in skip:
            continue
        if isinstance(node, NavigableString):
            lines[-1].add(str(node), bold)
            continue
        if node.name == "br":
            lines.append(InlineLine())
            continue
        if node.name == "a" and lines[-1].url is None and _is_web_link(node.get("href", "")):
            lines[-1].url = node["href"].strip()
        inside = bold or node.name in BOLD_TAGS
        stack.extend((child, inside) for child in reversed(node.contents))
    return lines


def _is_web_link(href):
    return href.strip().lower().startswith(("http://", "https://"))


def _first_url(tag, skip):
    for link in _tags(tag, skip):
        if link.name == "a" and _is_web_link(link.get("href", "")):
            return link["href"].strip()
    return None
