"""`manage.py setup_search` on the default engine (the Solr side is in test_solr_backend)."""
import pytest
from django.core.management import CommandError, call_command
from search_engines import WHOOSH_ENGINE, search_engine
from whoosh import index


def test_whoosh_gets_an_empty_index_and_keeps_it_on_a_second_run(tmp_path, capsys):
    path = tmp_path / "index"
    with search_engine({"ENGINE": WHOOSH_ENGINE, "PATH": str(path)}):
        call_command("setup_search")
        assert capsys.readouterr().out.strip() == f"Whoosh index ready in {path}."
        assert index.exists_in(path)
        created = sorted(p.name for p in path.iterdir())
        call_command("setup_search")
    assert sorted(p.name for p in path.iterdir()) == created
    assert index.open_dir(path).doc_count() == 0


@pytest.mark.parametrize(
    "options, message",
    [
        ({"shards": 0}, "--shards and --replicas must be at least 1."),
        ({"replicas": -1}, "--shards and --replicas must be at least 1."),
        ({"using": "nosuch"}, "The key 'nosuch' isn't an available connection."),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("setup_search", **options)
