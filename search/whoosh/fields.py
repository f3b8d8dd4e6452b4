"""How the archive's text becomes Whoosh terms: the analyser and the field types of the schema.

Words are indexed without positions (decoding positions dominated every query); phrases
come from a field of adjacent word pairs that carries the pairs' positions. A field lists
its own postings (``ArchiveField.postings``), which the segment writer (search.whoosh.codec)
files straight into its pool; a story's text is analysed once for its words and its pairs.
"""
from array import array
from collections import Counter
from itertools import chain

from whoosh import formats
from whoosh.analysis import Analyzer, Token
from whoosh.fields import FieldType
from whoosh.system import emptybytes

from search.text import STOP, WORD, fold, line_words

PAIRS_SUFFIX = "_pairs"
MAX_POSITION = 65535  # pair positions are uint16; a longer story's last pairs share the last


class ArchiveAnalyzer(Analyzer):
    """Whoosh's Analyzer interface over ``words``, so the query parser agrees with indexing."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", tokenize=True, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a wildcard or prefix pattern: keep its * and ?
            token.text, token.stopped, token.boost = fold(value), False, 1.0
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD.finditer(value):
            word = fold(match.group())
            stopped = len(word) < 2 or word in STOP
            if stopped and removestops:
                continue
            token.text, token.stopped, token.boost = word, stopped, 1.0
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token


# The last text analysed: a document's text and pairs fields hold the same string, analysed once.
_last_analysed = (None, None)


def analysed_lines(text):
    """line_words(text), remembered for the next field of the same document."""
    global _last_analysed
    last_text, lines = _last_analysed
    if last_text is not text:
        lines = line_words(text)
        _last_analysed = (text, lines)
    return lines


class ArchiveField(FieldType):
    """A field that lists its postings itself: ``postings(value)`` -> [(term, weight, value bytes)].

    ArchiveSegmentWriter files them straight into its pool; ``index`` is
    Whoosh's interface over the same postings.
    """

    def postings(self, value):
        raise NotImplementedError

    def index(self, value, **kwargs):
        for term, weight, vbytes in self.postings(value):
            yield term.encode("utf-8"), int(weight), weight, vbytes


class WordsField(ArchiveField):
    """Scorable words and no positions: a posting is a document number and its weight (the frequency)."""

    def __init__(self, stored=False):
        super().__init__(formats.Existence(), ArchiveAnalyzer(), scorable=True, stored=stored)
        self.multitoken_query = "phrase"

    def postings(self, value):
        counts = Counter(chain.from_iterable(analysed_lines(value)))
        return [(word, float(freq), emptybytes) for word, freq in counts.items()]


class PairPositions(formats.Format):
    """A pair's positions in the story as raw uint16s, one per occurrence (the posting's weight).

    ArchiveFieldWriter writes a block's positions as one blob, so numpy reads
    a whole posting list at once; only this module reads them back.
    """

    posting_size = -1

    def word_values(self, value, analyzer, **kwargs):
        raise NotImplementedError("PairsField indexes its own values")


class PairsField(WordsField):
    """Adjacent word pairs ("free syrian", "syrian army") with their positions.

    A two-word phrase is one pair term; a longer phrase is its pairs at
    consecutive positions. Text words carry no positions, which keeps every
    plain query cheap; pairs never span two lines (headline, paragraphs).
    """

    def __init__(self):
        super().__init__()
        self.format = PairPositions()

    def postings(self, value):
        pairs, where, position = [], [], 0
        for ws in analysed_lines(value):
            # A line's pairs and their positions; a gap of one after each line, so that no
            # phrase matches across a line break.
            pairs += map(" ".join, zip(ws, ws[1:]))
            where += range(position, position + len(ws) - 1)
            position += len(ws)
        if where and where[-1] > MAX_POSITION:
            where = [min(p, MAX_POSITION) for p in where]
        # Each pair's position as two bytes, in the order of the pairs: most pairs occur once,
        # and their value is a slice of this one blob. Counting and finding first occurrences
        # with C-level dict building, not a Python step per pair, halved this field's cost.
        every = array("H", where).tobytes()
        counts = Counter(pairs)
        first = dict(zip(reversed(pairs), range(len(pairs) - 1, -1, -1)))
        repeated = {pair: [] for pair, n in counts.items() if n > 1}
        if repeated:
            for i, pair in enumerate(pairs):
                found = repeated.get(pair)
                if found is not None:
                    found.append(every[2 * i:2 * i + 2])
        return [
            (pair, 1.0, every[2 * first[pair]:2 * first[pair] + 2]) if n == 1
            else (pair, float(n), emptybytes.join(repeated[pair]))
            for pair, n in counts.items()
        ]


class ValuesField(ArchiveField):
    """Facet values indexed verbatim, one term per value, whatever characters it holds."""

    def __init__(self, stored=False):
        super().__init__(formats.Existence(), None, scorable=False, stored=stored)

    def postings(self, value):
        return [(v, 1.0, emptybytes) for v in ([value] if isinstance(value, str) else dict.fromkeys(value))]

    def process_text(self, qstring, mode="", **kwargs):
        return iter([qstring])

    def self_parsing(self):
        return False

