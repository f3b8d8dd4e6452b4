"""Near-duplicate stories: the same event told again in another digest.

`signature` turns a story into a MinHash signature and LSH band keys, `store` signs stored
stories and links each to its near-duplicates (called by ingestion, corrections, edits and
`manage.py find_duplicates`), `selectors` reads the links for the story page and for folding
search results.
"""
