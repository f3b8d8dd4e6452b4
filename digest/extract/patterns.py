"""How news text writes proper names, as regular-expression pieces shared by the discovery steps."""
import re

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
# A capitalised word: "Kafr", "Ki-moon", "Abdulrahman", "Rémi"; never a possessive ("Guardian’s").
WORD = rf"[{UPPER}][{UPPER}{LOWER}'’-]*[{LOWER}](?<!['’]s)"
# An acronym: "TEV-DEM", "SAMS".
ACRONYM = rf"[{UPPER}][{UPPER}0-9&-]*[{UPPER}0-9]"
# Arabic articles and name particles written before a word: "al-Assad", "Deir ez-Zor", "de Mistura".
PARTICLE = r"(?:(?:al|el|ad|ash|as|ar|an|az|ez|ibn|bin|abu|de|di|da|van|von|der|la|le)[- ])"
# A person's name: two to four words.
PERSON = rf"{WORD}(?: {PARTICLE}?{WORD}){{1,3}}"
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
