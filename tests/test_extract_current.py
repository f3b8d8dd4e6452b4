"""The process's extractor stays current: new rows are learnt in place, curation made anywhere is
honoured, and ingesting file after file does not rebuild it."""
import datetime

import pytest
from django.db import transaction

from digest.extract import current, get_extractor, invalidate
from digest.extract.current import registry_from_db
from digest.extract.registry import STOP
from digest.ingest.service import CREATED, ingest_input
from digest.ingest.sources import InputFile
from digest.models import Alias, Entity, StopForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebuilds(monkeypatch):
    """How many times the extractor was rebuilt from the tables, counted from a fresh build."""
    get_extractor()
    count = []
    rebuild = current._rebuild
    monkeypatch.setattr(current, "_rebuild", lambda: count.append(1) or rebuild())
    return count


@pytest.fixture
def unindexed(monkeypatch):
    import search.indexing

    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: None)


def found(*paragraphs):
    return get_extractor().extract("Headline", list(paragraphs)).as_json()


def test_entities_written_by_another_process_are_found_without_a_rebuild(rebuilds):
    # Written straight to the tables, as another process (or its admin) would.
    Entity.objects.create(kind="actor", actor_type="person", name="Nour Bakar", slug="nour-bakar", discovered=True)
    Alias.objects.create(entity=Entity.objects.get(name="Free Syrian Army"), name="Shamiya")
    StopForm.objects.create(form="Hama")
    assert found("Nour Bakar met Shamiya fighters in Hama and Homs.") | {"sources": []} == {
        "places": ["Homs"], "actors": ["Nour Bakar", "Free Syrian Army"], "sources": [],
        "actor_types": {"Nour Bakar": "person", "Free Syrian Army": "armed_group"},
    }
    assert rebuilds == []


def test_a_gazetteer_place_stored_under_a_new_name_is_learnt_as_a_rebuild_would_have_it(rebuilds):
    Entity.objects.create(kind="place", name="Tripoli", slug="tripoli", geonameid=2210247, country="LY")
    Entity.objects.create(kind="place", name="Tripoli (LB)", slug="tripoli-lb", geonameid=266826, country="LB")
    Entity.objects.create(kind="actor", actor_type="organization", name="Levant Relief Committee", slug="lrc")
    learnt = get_extractor().registry
    built = registry_from_db()
    assert rebuilds == []
    assert learnt.forms == built.forms
    assert [c.name for c in learnt.forms["Tripoli"]] == ["Tripoli", "Tripoli (LB)"]
    text = "In Tripoli, Lebanon, the Levant Relief Committee met officials from Tripoli (LB) and Beirut."
    assert learnt.matcher.find(text) == built.matcher.find(text)


@pytest.mark.parametrize("change, text, want", [
    # "Levant Conquest Front" is an alias of the renamed group: the new name is reported, the old one is gone.
        ("rename", "Levant Conquest Front and Jabhat al-Nusra fled.", ["Nusra Front"]),
    ("merge", "Al-Qaeda fled.", ["Jabhat al-Nusra"]),
    ("delete alias", "Daesh fled.", []),
    ("edit actor type", "Jabhat al-Nusra fled.", ["Jabhat al-Nusra"]),
])
def test_curation_made_elsewhere_is_honoured(rebuilds, change, text, want):
    nusra = Entity.objects.get(name="Jabhat al-Nusra")
    # Straight to the tables, as curation in another process leaves them.
    if change == "rename":
        nusra.name = "Nusra Front"
        nusra.save()
    elif change == "merge":
        qaeda = Entity.objects.get(name="Al-Qaeda")
        aliases = [qaeda.name, *qaeda.aliases.values_list("name", flat=True)]
        qaeda.delete()
        Alias.objects.bulk_create([Alias(entity=nusra, name=name) for name in aliases])
    elif change == "delete alias":
        Alias.objects.get(name="Daesh").delete()
    else:
        nusra.actor_type = "organization"
        nusra.save()
    result = found(text)
    assert result["actors"] == want
    if change == "edit actor type":
        assert result["actor_types"] == {"Jabhat al-Nusra": "organization"}
    assert len(rebuilds) == 1


def late_edit():
    """An edit whose transaction committed after newer rows (its update time is not the latest):
    the counts stay as they were, and the newer rows explain the change."""
    Entity.objects.create(kind="actor", actor_type="person", name="Nour Bakar", slug="nour-bakar")
    assert found("Nour Bakar left.")["actors"] == ["Nour Bakar"]
    earlier = Entity.objects.get(name="Nour Bakar").updated_at - datetime.timedelta(seconds=5)
    Entity.objects.filter(name="ISIS").update(name="Islamic State", updated_at=earlier)
    Entity.objects.create(kind="actor", actor_type="person", name="Yusuf Qadri", slug="yusuf-qadri")


def test_an_edit_committed_late_is_found_with_the_next_change_once_the_window_is_due(rebuilds, monkeypatch):
    """The next change reads the rows updated around it, and finds it."""
    monkeypatch.setattr(current, "FULL_CHECK_SECONDS", 0)
    late_edit()
    assert found("Daesh fled; Yusuf Qadri stayed.")["actors"] == ["Islamic State", "Yusuf Qadri"]
    assert len(rebuilds) == 1


def test_between_window_reads_only_the_rows_added_are_read(rebuilds, monkeypatch):
    """What an ingestion pays for every file: not the thousands of rows it stored within the window."""
    monkeypatch.setattr(current, "FULL_CHECK_SECONDS", 3600)
    late_edit()
    assert found("Daesh fled; Yusuf Qadri stayed.")["actors"] == ["ISIS", "Yusuf Qadri"]
    assert rebuilds == []
    monkeypatch.setattr(current, "FULL_CHECK_SECONDS", 0)
    Entity.objects.create(kind="actor", actor_type="person", name="Rami Haddad", slug="rami-haddad")
    assert found("Daesh fled.")["actors"] == ["Islamic State"]
    assert len(rebuilds) == 1


def test_a_registry_change_rolled_back_is_forgotten(rebuilds):
    with pytest.raises(RuntimeError), transaction.atomic():
        StopForm.objects.create(form="Homs")
        invalidate()
        assert found("Shelling hit Homs.")["places"] == []
        raise RuntimeError("the curation failed")
    assert found("Shelling hit Homs.")["places"] == ["Homs"]


def test_a_curation_service_rebuilds_inside_its_transaction(rebuilds, unindexed):
    from digest import curation

    curation.mark_never_entity("Homs")
    assert get_extractor().registry.forms["Homs"] == STOP
    assert len(rebuilds) == 1


DIGEST = """{day:%B} {day.day}, {day.year}
Fighting Continues Near {place}
Rebels shelled the town of {place}, a local activist, {person}, told AFP. {surname} said the fighting went on.
Aid Convoy Reaches {other}
The aid group {org} Relief Committee said its convoy reached {other}, Reuters reports.
"""


def digest_file(n):
    """A digest naming a person, two places and an organisation no earlier digest named."""
    names = ["Kafr Batna", "Dahiyat Zaydun", "Maarat Harma", "Tal Huwayl", "Bir Qasab", "Jabal Zawiya"]
    day = datetime.date(2015, 3, 1) + datetime.timedelta(days=n)
    text = DIGEST.format(day=day, place=names[n], other=f"{names[n]} Saghir", person=f"Yusuf Qadri{'x' * n}",
                         surname=f"Qadri{'x' * n}", org=f"Hawran{'x' * n}")
    return InputFile(f"digest-{n}.txt", text.encode())


def test_ingesting_file_after_file_learns_new_names_without_a_rebuild(rebuilds, unindexed):
    entities = Entity.objects.count()
    for n in range(5):
        assert ingest_input(digest_file(n)).status == CREATED
    assert Entity.objects.count() > entities + 15
    assert found("Qadrixx and Yusuf Qadrixxx met in Tal Huwayl.") == {
        "places": ["Tal Huwayl"], "actors": ["Yusuf Qadrixxx"], "sources": [],
        "actor_types": {"Yusuf Qadrixxx": "person"},
    }
    assert rebuilds == []


def test_entities_this_process_stores_are_known_from_the_commit_on(
    rebuilds, unindexed, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest_input(digest_file(0)).status == CREATED
    # Nothing to read back: the one-query check finds the tables as the extractor holds them.
    with django_assert_num_queries(1):
        extractor = get_extractor()
    assert extractor.extract("H", ["Yusuf Qadri spoke."]).as_json()["actors"] == ["Yusuf Qadri"]
    assert rebuilds == []


def test_a_full_rebuild_reads_values_not_model_instances(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a model instance was made")

    monkeypatch.setattr(Entity, "__init__", refuse)
    monkeypatch.setattr(Alias, "__init__", refuse)
    monkeypatch.setattr(StopForm, "__init__", refuse)
    invalidate()
    assert found("ISIS fled Raqqa.")["actors"] == ["ISIS"]


def test_what_extraction_returns_crosses_to_another_process():
    """Ingestion workers send their results back to the parent pickled."""
    import pickle

    result = get_extractor().extract("Talks in Geneva", ["Rami Abdulrahman of the Syrian Observatory said, AFP reports."])
    assert pickle.loads(pickle.dumps(result)) == result
    assert result.as_json()["actors"] == ["Rami Abdulrahman", "Syrian Observatory for Human Rights"]


def test_rows_another_process_stored_are_learnt_with_two_queries(rebuilds, monkeypatch, django_assert_num_queries):
    """What a worker pays for each file the writer stored: the fingerprint and the new rows, no second check."""
    monkeypatch.setattr(current, "FULL_CHECK_SECONDS", 3600)
    Entity.objects.create(kind="actor", actor_type="person", name="Nour Bakar", slug="nour-bakar", discovered=True)
    with django_assert_num_queries(2):
        extractor = get_extractor()
    assert extractor.extract("H", ["Nour Bakar spoke."]).as_json()["actors"] == ["Nour Bakar"]
    with django_assert_num_queries(1):
        get_extractor()
    assert rebuilds == []


def test_rows_learnt_are_the_records_a_rebuild_reads(rebuilds, monkeypatch):
    """Read raw, a row still gives the record the ORM gives: a boolean, not SQLite's 1; floats, ids, aliases."""
    monkeypatch.setattr(current, "FULL_CHECK_SECONDS", 0)
    nusra = Entity.objects.get(name="Jabhat al-Nusra")
    Entity.objects.create(kind="place", name="Kafr Nubl", slug="kafr-nubl", country="SY", latitude=35.61, longitude=36.56,
                          discovered=True)
    Alias.objects.create(entity=nusra, name="Nusra Brigades")
    bakar = Entity.objects.create(kind="actor", actor_type="person", name="Nour Bakar", slug="nour-bakar", discovered=True)
    Alias.objects.create(entity=bakar, name="Abu Nour")
    learnt = get_extractor().registry
    assert rebuilds == []
    built = registry_from_db()
    # (An old entity learnt with a new alias keeps its old record under its other names until a rebuild.)
    assert {form: value for form, value in learnt.forms.items() if "Nusra" not in str(value)} == {
        form: value for form, value in built.forms.items() if "Nusra" not in str(value)
    }
    (record,) = learnt.forms["Kafr Nubl"]
    assert (record.discovered, record.latitude, record.country) == (True, 35.61, "SY")
    assert type(record.discovered) is bool
    assert [c.name for c in learnt.forms["Abu Nour"]] == ["Nour Bakar"]
    assert found("Nusra Brigades fighters met Abu Nour.")["actors"] == ["Jabhat al-Nusra", "Nour Bakar"]


def test_more_new_rows_than_learning_pays_for_rebuild(rebuilds, monkeypatch):
    monkeypatch.setattr(current, "LEARN_AT_MOST", 2)
    Entity.objects.bulk_create([
        Entity(kind="actor", actor_type="person", name=f"Nour Bakar{'x' * n}", slug=f"nour-bakar-{n}") for n in range(3)
    ])
    assert found("Nour Bakarxx spoke.")["actors"] == ["Nour Bakarxx"]
    assert len(rebuilds) == 1
