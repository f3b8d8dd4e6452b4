"""How news text writes proper names, as regular-expression pieces shared by the discovery steps."""
import re

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"


def word_start(*words):
    """`\\b(?:WORD|WORD...)`, written so that a search skips quickly to where it can match.

    Python's regular-expression engine skips ahead to the characters a pattern can begin with only
    when its first item is a character, a class, or a group of alternatives each beginning with a
    character; a leading `\\b` makes it try the whole pattern at every position of the text (a
    3 MB story: some 80 ms a pattern). So the boundary is checked after the first character, which
    the engine then looks for: "in" becomes "i(?<=\\bi)n", the same matches. Each word is a
    regular expression whose first character is a plain letter or a class ("[A-Z]..."); words
    beginning with the same one are written once ("t(?<=\\bt)(?:he|o)"), as the engine needs."""
    by_first = {}
    for word in words:
        first = re.match(r"\[[^\]]*\]|\w", word).group()
        by_first.setdefault(first, []).append(word[len(first):])
    if len(by_first) > 1 and any(first.startswith("[") for first in by_first):
        raise ValueError("words beginning with a class cannot be mixed with others")
    branches = [f"{first}(?<=\\b{first})(?:{'|'.join(tails)})" for first, tails in by_first.items()]
    fast = f"(?:{'|'.join(branches)})"
    _PLAIN[fast] = f"\\b(?:{'|'.join(words)})"
    return fast


_PLAIN = {}  # what word_start gave -> the `\b(?:...)` it stands for


def plain_form(pattern):
    """The pattern with every word_start piece written plainly, for tests to match it against."""
    for fast in sorted(_PLAIN, key=len, reverse=True):
        pattern = pattern.replace(fast, _PLAIN[fast])
    return pattern


# A capitalised word: "Kafr", "Ki-moon", "Abdulrahman", "Rémi"; never a possessive ("Guardian’s").
WORD_TAIL = rf"[{UPPER}{LOWER}'’-]*[{LOWER}](?<!['’]s)"
WORD = rf"[{UPPER}]{WORD_TAIL}"
# An acronym: "TEV-DEM", "SAMS".
ACRONYM_TAIL = rf"[{UPPER}0-9&-]*[{UPPER}0-9]"
ACRONYM = rf"[{UPPER}]{ACRONYM_TAIL}"
# `\b{WORD}` and `\b(?:{WORD}|{ACRONYM})`, for a pattern's first item (word_start).
BOUNDED_WORD = word_start(f"[{UPPER}]{WORD_TAIL}")
BOUNDED_NAME = word_start(f"[{UPPER}]{WORD_TAIL}", f"[{UPPER}]{ACRONYM_TAIL}")
# Arabic articles and name particles written before a word: "al-Assad", "Deir ez-Zor", "de Mistura".
PARTICLE = r"(?:(?:al|el|ad|ash|as|ar|an|az|ez|ibn|bin|abu|de|di|da|van|von|der|la|le)[- ])"
# A person's name: two to four words.
PERSON_TAIL = rf"(?: {PARTICLE}?{WORD}){{1,3}}"
PERSON = WORD + PERSON_TAIL
BOUNDED_PERSON = BOUNDED_WORD + PERSON_TAIL  # `\b{PERSON}`
# A place name: one to four words, maybe starting with an article ("al-Bab").
PLACE = rf"(?:(?:al|el|ad|ash|as|ar|an|az|ez)-)?{WORD}(?: {PARTICLE}?{WORD}){{0,3}}"
# An organisation's name: capitalised words and acronyms, joined by "of", "for" or "and"
# ("Physicians for Human Rights", "Aknaf Beit al-Maqdis", "TEV-DEM").
ORGANIZATION = (
    rf"(?:{WORD}|{ACRONYM})(?: (?:(?:of|for|and|of the) )?{PARTICLE}?(?:{WORD}|{ACRONYM})){{0,5}}"
)


class AfterContext:
    """The pattern `(?:^|CONTEXT|CONTEXT...)REST`, searched several times faster with the same matches.

    Python's regular-expression engine skips quickly to where a pattern can start only when every
    branch of its first group begins with a literal character; `^` or a word boundary (`\\band `)
    there makes it try the whole pattern at every position of the text. So the start of the text is
    tried on its own and `\\b` before a context word is checked after its first letter ("a(?<=\\ba)nd ").
    `contexts` are plain text, "\\b" before a word meaning a word boundary there; a context that
    would start with a character class is given once per character ("'s ", "’s ")."""

    def __init__(self, contexts, rest):
        plain = [("\\b" if c.startswith("\\b") else "") + re.escape(c.removeprefix("\\b")) for c in contexts]
        self.pattern = f"(?:{'|'.join(['^', *plain])}){rest}"  # the plain form, for tests
        branches = []
        for context in contexts:
            bounded = context.startswith("\\b")
            context = context.removeprefix("\\b")
            first, tail = re.escape(context[0]), re.escape(context[1:])
            branches.append(f"{first}(?<=\\b{first}){tail}" if bounded else first + tail)
        self.anywhere = re.compile(f"(?:{'|'.join(branches)}){rest}")
        self.start = re.compile(f"(?:{rest})")
        self.groups = self.anywhere.groups

    def finditer(self, text):
        """What re.compile(self.pattern).finditer(text) gives."""
        position = 0
        first = self.start.match(text)
        if first:
            yield first
            position = first.end()
        yield from self.anywhere.finditer(text, position)


class OnLines:
    """`pattern`, searched only on the lines of the text where `needs` matches, with the same matches.

    For a pattern whose every match holds a match of `needs` ("... airport" holds "airport") and
    never spans a line: a rare word is found in one fast pass, and the costly pattern then reads a
    few lines instead of the whole text (a long story's many thousand). Each line is searched as
    the text bounded there, which sees a word boundary at its ends as the whole text does; so the
    pattern must not use `$`, which would match at a line's end there and nowhere but the text's in
    the whole."""

    def __init__(self, pattern, needs):
        if "$" in pattern.replace(r"\$", ""):
            raise ValueError("a pattern searched line by line cannot use $")
        self.pattern = pattern
        self.compiled = re.compile(pattern)
        self.needs = re.compile(needs)
        self.groups = self.compiled.groups

    def finditer(self, text):
        """What re.compile(self.pattern).finditer(text) gives."""
        line_end = -1
        for found in self.needs.finditer(text):
            if found.start() <= line_end:
                continue  # its line is searched already
            line_start = text.rfind("\n", 0, found.start()) + 1
            line_end = text.find("\n", found.end())
            if line_end < 0:
                line_end = len(text)
            yield from self.compiled.finditer(text, line_start, line_end)


class WhereFound:
    """`pattern` (an expression, or one of the classes above), searched only in a text where `needs`
    is found, with the same matches.

    For a pattern every match of which holds a match of `needs` ("the towns of" holds "s of "):
    most stories hold no match, and finding a plain piece of text, or a few words beginning with
    a capital or a rare letter, costs a small part of a pass of the whole pattern. Unlike OnLines,
    the pattern may span lines and use `^` and `$`."""

    def __init__(self, pattern, needs):
        self.compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        self.pattern = self.compiled.pattern
        self.needs = re.compile(needs)
        self.groups = self.compiled.groups

    def finditer(self, text):
        """What the pattern's finditer(text) gives."""
        if not self.needs.search(text):
            return iter(())
        return self.compiled.finditer(text)
