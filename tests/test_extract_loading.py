"""`load_entities`: data-file entries the registry lacks come in; curation stays."""
import io

import pytest
from django.core.management import call_command

from digest import curation
from digest.extract import tables
from digest.extract.loading import unique_slug
from digest.models import Alias, Entity, StopForm

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_entities", stdout=out)
    return out.getvalue()


def test_after_the_data_migration_nothing_is_missing():
    assert load() == "Added 0 entities and 0 never-an-entity forms.\n"
    assert Entity.objects.count() == len(tables.registry_entries())
    assert StopForm.objects.count() == len(tables.words("stoplist.txt"))


def test_deleted_entries_come_back_but_curation_stays(monkeypatch):
    import search.indexing

    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: None)
    Entity.objects.get(kind="source", name="Reuters").delete()
    StopForm.objects.get(form="Tuesday").delete()
    curation.rename_entity(Entity.objects.get(name="ISIS"), "Islamic State (ISIS)")
    curation.merge_entities(Entity.objects.get(name="Jabhat al-Nusra"), [Entity.objects.get(name="Al-Qaeda")])
    curation.mark_never_entity("Hezbollah")
    Entity.objects.get(name="Hezbollah").delete()

    assert load() == "Added 1 entities and 1 never-an-entity forms.\n"
    assert Entity.objects.get(kind="source", name="Reuters").aliases.filter(name="Reuters news agency").exists()
    assert not Entity.objects.filter(name__in=["ISIS", "Al-Qaeda", "Hezbollah"]).exists()
    assert Alias.objects.get(name="Al-Qaeda").entity.name == "Jabhat al-Nusra"


def test_unique_slug():
    taken = {"raqqa"}
    assert [unique_slug(taken, "Raqqa", "place"), unique_slug(taken, "Raqqa", "place"),
            unique_slug(taken, "حلب", "place")] == ["raqqa-2", "raqqa-3", "place"]


def test_new_aliases_of_entities_the_registry_has_are_added_once():
    from digest.extract.loading import add_missing_aliases

    nusra = Entity.objects.get(kind="actor", name="Jabhat al-Nusra")
    nusra.aliases.filter(name__in=["Jabhat Fatah al-Sham", "JFS"]).delete()
    # A curator moved "Fatah al-Sham" to another entity and marked "JFS" never an entity.
    hts = Entity.objects.get(kind="actor", name="Hayat Tahrir al-Sham")
    Alias.objects.filter(name="Fatah al-Sham").update(entity=hts)
    StopForm.objects.create(form="JFS")

    assert add_missing_aliases(Entity, Alias, StopForm, tables.registry_entries()) == 1
    assert nusra.aliases.filter(name="Jabhat Fatah al-Sham").exists()
    assert not Alias.objects.filter(name="JFS").exists()
    assert Alias.objects.get(name="Fatah al-Sham").entity.name == "Hayat Tahrir al-Sham"
    assert add_missing_aliases(Entity, Alias, StopForm, tables.registry_entries()) == 0
