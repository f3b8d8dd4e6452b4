"""Whether an index directory holds a whole index: its table of contents and every file it names.

Whoosh opens what it finds. With the table of contents (``_MAIN_<n>.toc``) gone it sees no index
at all, and a segment file cut short fails only when a search reaches the missing bytes. The
backend used to answer either by starting an empty index over the old files, which then answered
every search with nothing and looked healthy. Here a directory is checked before it is opened:
each segment records the size of every file it wrote (search.whoosh.codec, pickled with the
segment into the table of contents), and a directory is damaged when it has segment files but no
table of contents, or when a file its table of contents names is missing or of another size.
Nothing here repairs: the database is the archive, and ``check_index --fix`` rebuilds from it.
"""
from whoosh.index import TOC

from search.contract import IndexDamaged

from .codec import latest_generation, segment_files

INDEX_NAME = "MAIN"  # Whoosh's default, which haystack uses


def check_files(storage, indexname=INDEX_NAME):
    """The current table of contents, after checking that every file it names is there, whole.

    Raises IndexDamaged saying what is wrong; returns None for a directory with no index files.
    A commit in another process replaces the table of contents and then deletes the files only
    the old one named, so a generation that vanished while it was checked is checked again.
    """
    while True:
        generation = latest_generation(storage, indexname)
        try:
            return _check_generation(storage, indexname, generation)
        except IndexDamaged:
            if generation < 0 or latest_generation(storage, indexname) == generation:
                raise


def _check_generation(storage, indexname, generation):
    names = set(storage.list())
    if generation < 0:
        orphans = segment_files(names, indexname)
        if orphans:
            raise IndexDamaged(f"its table of contents (_{indexname}_<n>.toc) is missing, "
                               f"while {len(orphans)} segment files remain (such as {orphans[0]})")
        return None
    try:
        toc = TOC.read(storage, indexname, generation)
    except Exception as error:
        raise IndexDamaged(f"its table of contents cannot be read ({type(error).__name__}: {error})") from error
    for segment in toc.segments:
        sizes = getattr(segment, "file_sizes", None)
        if sizes is None:  # written before sizes were recorded: its files must at least be there
            if not any(name.startswith(segment.segment_id() + ".") for name in names):
                raise IndexDamaged(f"the files of segment {segment.segment_id()} are missing")
            continue
        for name, size in sorted(sizes.items()):
            try:
                found = storage.file_length(name)
            except FileNotFoundError:
                raise IndexDamaged(f"the segment file {name} is missing") from None
            if found != size:
                raise IndexDamaged(f"the segment file {name} has {found:,} bytes where {size:,} were written")
    return toc
