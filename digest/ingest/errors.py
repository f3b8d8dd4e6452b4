class IngestError(Exception):
    """A file cannot become a digest; the message says why, in words an editor can act on."""
