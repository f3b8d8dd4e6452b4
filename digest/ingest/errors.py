class IngestError(Exception):
    """A file cannot become a digest; the message says why, in words an editor can act on."""


class DateError(IngestError):
    """The file reads and splits, but states no publication date, or one no digest can have: an
    editor can give the right one (--date, the upload's date field, or its review)."""

    split = None  # the file's SplitDigest, once it has one
    newsletter = ""
