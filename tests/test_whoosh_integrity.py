"""search.whoosh.integrity: a damaged index is refused, never replaced by an empty one.

Real damage to real index files: a segment file cut short, the table of contents removed, a
segment file deleted. Search then answers 503 with the reason (the page and the API), /healthz
names the search as down, `check_index` exits 1 saying what is wrong and leaves the files as
they are, and `check_index --fix` rebuilds the index from the database.
"""
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from search_engines import WHOOSH_ENGINE, search_engine

from search.contract import INDEX_DAMAGED, IndexDamaged
from search.indexing import update_stories
from search.whoosh.integrity import check_files

pytestmark = pytest.mark.django_db


def largest(path, suffix):
    return max(path.glob(f"MAIN_*{suffix}"), key=lambda p: p.stat().st_size)


def cut_short(path):
    segment_file = largest(path, ".trm")
    size = segment_file.stat().st_size
    with open(segment_file, "r+b") as f:
        f.truncate(size // 2)
    return f"the segment file {segment_file.name} has {size // 2:,} bytes where {size:,} were written"


def remove_toc(path):
    toc = next(path.glob("_MAIN_*.toc"))
    toc.unlink()
    return "its table of contents (_MAIN_<n>.toc) is missing, while"


def delete_segment_file(path):
    segment_file = largest(path, ".col")
    segment_file.unlink()
    return f"the segment file {segment_file.name} is missing"


DAMAGE = {"segment cut short": cut_short, "table of contents removed": remove_toc,
          "segment file deleted": delete_segment_file}


def restart(backend):
    """Forget the open index, as a server started again would (and so its files' memory maps)."""
    state = backend.state
    with state.lock:
        if state.view is not None:
            state.view.searcher.close()
        state.index = state.view = state.damage = None
        state.tables.clear()
    backend.setup_complete = False


def check_index(*args):
    out = StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def own_index(tmp_path, search_archive):
    """The search page's archive indexed in a directory of this test's own."""
    path = tmp_path / "index"
    with search_engine({"ENGINE": WHOOSH_ENGINE, "PATH": str(path)}) as backend:
        update_stories([story.pk for story in search_archive.values()])
        yield path, backend


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_index_answers_503_until_check_index_fix_rebuilds_it(client, own_index, damage, caplog):
    path, backend = own_index
    before = client.get("/api/search/?q=Aleppo").json()["total"]
    assert before > 0
    restart(backend)
    reason = damage(path)
    files = sorted(p.name for p in path.iterdir())

    api, page = client.get("/api/search/?q=Aleppo"), client.get("/search/?q=Aleppo")
    assert (api.status_code, api.json()) == (503, {"error": INDEX_DAMAGED})
    assert page.status_code == 503 and INDEX_DAMAGED in page.content.decode()
    assert str(path) not in page.content.decode() and "Traceback" not in page.content.decode()
    assert reason in caplog.text  # the reason goes to the log, with the cure
    assert "check_index --fix" in caplog.text
    health = client.get("/healthz")
    assert (health.status_code, health.json()) == (503, {"database": "ok", "search": "down"})

    status, report = check_index()
    assert status == 1
    assert report.splitlines()[0].startswith("22 stories in the database; the search index is damaged: " + reason)
    assert report.splitlines()[1] == "Run `manage.py check_index --fix` to rebuild it from the database."
    assert sorted(p.name for p in path.iterdir()) == files  # nothing replaced the damaged index

    status, report = check_index("--fix")
    assert status == 0
    assert report.splitlines()[-1] == "Rebuilt the index from the database: indexed 22 stories."
    assert client.get("/api/search/?q=Aleppo").json()["total"] == before
    assert check_index() == (0, "22 stories in the database, 22 in the index.\n0 missing from the index\n"
                                "0 stale in the index\n0 in the index without a story (orphans)\n"
                                "The index is up to date.\n")


def test_rebuild_index_cures_a_damaged_index_too(client, own_index):
    path, backend = own_index
    restart(backend)
    cut_short(path)
    assert client.get("/api/search/?q=Aleppo").status_code == 503
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert client.get("/api/search/?q=Aleppo").status_code == 200
    assert client.get("/api/search/").json()["total"] == 22


def test_a_table_of_contents_removed_under_a_running_server_is_noticed_at_the_next_search(client, own_index):
    path, _ = own_index
    assert client.get("/api/search/?q=Aleppo").status_code == 200
    remove_toc(path)
    api = client.get("/api/search/?q=Aleppo")
    assert (api.status_code, api.json()) == (503, {"error": INDEX_DAMAGED})


def test_a_repair_by_another_process_is_noticed_without_a_restart(client, own_index):
    """A server answering 503 for a damaged index answers again once check_index --fix has run elsewhere."""
    path, backend = own_index
    restart(backend)
    files = {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}
    remove_toc(path)
    assert client.get("/api/search/?q=Aleppo").status_code == 503
    for name, data in files.items():  # as another process's rebuild leaves it: a whole index
        (path / name).write_bytes(data)
    assert client.get("/api/search/?q=Aleppo").status_code == 200


def test_indexing_into_a_damaged_index_fails_and_leaves_it_alone(own_index, search_archive):
    path, backend = own_index
    restart(backend)
    delete_segment_file(path)
    files = sorted(p.name for p in path.iterdir())
    with pytest.raises(IndexDamaged):
        update_stories([next(iter(search_archive.values())).pk])
    assert sorted(p.name for p in path.iterdir()) == files


def test_an_empty_directory_becomes_a_new_index(tmp_path):
    from whoosh.filedb.filestore import FileStorage

    assert check_files(FileStorage(str(tmp_path))) is None
    with search_engine({"ENGINE": WHOOSH_ENGINE, "PATH": str(tmp_path / "new")}) as backend:
        assert backend.open_index().doc_count_all() == 0
        assert [p.name for p in (tmp_path / "new").iterdir() if p.suffix == ".toc"] == ["_MAIN_0.toc"]


def test_setup_search_says_the_index_is_damaged(own_index):
    path, backend = own_index
    restart(backend)
    cut_short(path)
    out = StringIO()
    call_command("setup_search", stdout=out)
    assert out.getvalue().startswith(f"The Whoosh index in {path} is damaged: the segment file ")
    assert out.getvalue().endswith("Run `manage.py check_index --fix` to rebuild it from the database.\n")


def test_every_file_of_a_committed_segment_has_its_size_recorded(own_index):
    path, backend = own_index
    toc = check_files(backend.storage)
    recorded = {name: size for segment in toc.segments for name, size in segment.file_sizes.items()}
    on_disk = {p.name: p.stat().st_size for p in Path(path).iterdir() if p.name.startswith("MAIN_") and p.is_file()}
    on_disk.pop("MAIN_WRITELOCK", None)
    assert recorded == on_disk


def test_a_generation_replaced_while_it_is_checked_is_checked_again(own_index, monkeypatch):
    """Another process's commit writes a new table of contents, then deletes the files only the old
    one named: a check that was reading the old generation is no sign of damage."""
    from whoosh.index import TOC

    _, backend = own_index
    read = TOC.read.__func__
    checked = []

    def read_during_a_commit(cls, storage, indexname, gen=None, schema=None):
        if not checked:
            checked.append(gen)
            backend.optimize()  # a commit: generation gen + 1, gen's files deleted
        return read(cls, storage, indexname, gen, schema)

    monkeypatch.setattr(TOC, "read", classmethod(read_during_a_commit))
    assert check_files(backend.storage).generation == checked[0] + 1


def test_an_index_written_before_sizes_were_recorded_opens_and_is_still_checked_for_missing_segments(
        client, own_index):
    """Segments an older release wrote carry no file sizes: they open as before, and a segment whose
    files are all gone is still found."""
    from whoosh.index import TOC

    path, backend = own_index
    toc = TOC.read(backend.storage, "MAIN")
    for segment in toc.segments:
        del segment.file_sizes
    toc.generation += 1
    toc.write(backend.storage, "MAIN")
    next(path.glob(f"_MAIN_{toc.generation - 1}.toc")).unlink()
    restart(backend)
    assert client.get("/api/search/").json()["total"] == 22

    restart(backend)
    (segment,) = toc.segments
    for segment_file in path.glob(f"{segment.segment_id()}.*"):
        segment_file.unlink()
    api = client.get("/api/search/")
    assert (api.status_code, api.json()) == (503, {"error": INDEX_DAMAGED})
    with pytest.raises(IndexDamaged, match=f"^the files of segment {segment.segment_id()} are missing$"):
        check_files(backend.storage)
