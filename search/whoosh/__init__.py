"""The archive's Whoosh engine, one module per concern (after paperless-ngx's documents/search/).

fields    the analyser and field types: words without positions, word pairs with them, facet values
codec     writing and reading posting blocks; the only module using Whoosh's private internals
tables    per-segment numpy arrays (facets, dates, keys, lengths) and the View of a searcher generation
evaluate  the Evaluator: parse, match and score, narrow, count facets, order a page
spelling  suggestions by symmetric deletion over each segment's words
backend   the haystack adapter, ArchiveWhooshEngine (settings: search.whoosh.ArchiveWhooshEngine)
"""
from .backend import ArchiveWhooshBackend, ArchiveWhooshEngine

__all__ = ["ArchiveWhooshBackend", "ArchiveWhooshEngine"]
