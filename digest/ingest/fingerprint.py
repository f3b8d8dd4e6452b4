"""What makes two files the same issue: their stories, whatever the format around them.

A newsletter arrives as an e-mail, is saved as a web page, pasted into a text file: the bytes
differ, and so may the wrapping of lines, the spacing and the typographer's quotes. The stories'
headlines and text, with whitespace collapsed and quotes made plain, do not.
"""
import hashlib

QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})


def normalised(text: str) -> str:
    return " ".join(text.translate(QUOTES).split())


def stories_fingerprint(stories) -> str:
    """SHA-256 over (headline, text) pairs in order; paragraph breaks count as whitespace."""
    digest = hashlib.sha256()
    for headline, text in stories:
        digest.update(normalised(headline).encode("utf-8") + b"\x1f" + normalised(text).encode("utf-8") + b"\x1e")
    return digest.hexdigest()
