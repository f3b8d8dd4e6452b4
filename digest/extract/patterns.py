"""How news text writes proper names, as regular-expression pieces shared by the discovery steps."""

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
