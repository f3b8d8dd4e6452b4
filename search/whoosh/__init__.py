"""The archive's Whoosh engine, one module per concern (after paperless-ngx's documents/search/).

fields    the analyser and field types: words without positions, word pairs with them, facet values
codec     writing and reading posting blocks; the only module using Whoosh's private internals
tables    per-segment numpy arrays (facets, dates, keys, lengths) and the View of a searcher generation
evaluate  the Evaluator: parse, match and score, narrow, count facets, order a page
spelling  suggestions by symmetric deletion over each segment's words
integrity whether a directory holds a whole index (damage is refused, never replaced by an empty index)
backend   the haystack adapter, ArchiveWhooshEngine (settings: search.whoosh.ArchiveWhooshEngine)
"""
import sys
import types

from .backend import ArchiveWhooshBackend, ArchiveWhooshEngine
from .codec import ArchiveCodec
from .fields import ArchiveAnalyzer, ArchiveField, PairPositions, PairsField, ValuesField, WordsField

__all__ = ["ArchiveWhooshBackend", "ArchiveWhooshEngine"]

# An index pickles its schema (field types, analyser, posting format) and its segments (codec)
# with their classes' module. Indexes written before the engine became this package name them
# under search.whoosh_backend; without this alias the backend would find such an index
# unreadable and refuse it as damaged until a rebuild.
_before_the_package = types.ModuleType("search.whoosh_backend", "Where indexes written before search.whoosh find its classes.")
for _class in (ArchiveAnalyzer, ArchiveField, PairPositions, PairsField, ValuesField, WordsField, ArchiveCodec):
    setattr(_before_the_package, _class.__name__, _class)
sys.modules.setdefault(_before_the_package.__name__, _before_the_package)
