"""How news text writes proper names, as regular-expression pieces shared by the discovery steps."""

# A capitalised word: "Kafr", "Ki-moon", "Abdulrahman".
WORD = r"[A-Z][a-zA-Z'’-]*[a-z]"
# Arabic articles and name particles written before a word: "al-Assad", "Deir ez-Zor", "de Mistura".
PARTICLE = r"(?:(?:al|el|ad|ash|as|ar|an|az|ez|ibn|bin|abu|de|di|da|van|von|der|la|le)[- ])"
# A person's name: two to four words.
PERSON = rf"{WORD}(?: {PARTICLE}?{WORD}){{1,3}}"
# A place name: one to four words, maybe starting with an article ("al-Bab").
PLACE = rf"(?:(?:al|el|ad|ash|as|ar|an|az|ez)-)?{WORD}(?: {PARTICLE}?{WORD}){{0,3}}"
