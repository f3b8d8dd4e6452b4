import pytest

from digest.extract import gazetteer
from digest.extract.gazetteer import ascii_name, is_latin_name, transliteration_variants


def test_ascii_names_drop_diacritics_and_dotless_i():
    assert ascii_name("Ḩamāh") == "Hamah"
    assert ascii_name("Karkamış") == "Karkamis"
    assert ascii_name("Tall Rif‘at") == "Tall Rifat"


@pytest.mark.parametrize("name, variants", [
    ("Ad Dumayr", {"al-Dumayr", "Al-Dumayr", "Ad-Dumayr", "Dumayr"}),
    ("Dayr az Zawr", {"Dayr al-Zawr"}),
    ("Salqiyah", {"Salqiya", "Salqiyeh"}),
    ("Al Bab", {"al-Bab", "Al-Bab"}),  # "Bab" alone is too short to stand for the town
])
def test_transliteration_variants(name, variants):
    assert transliteration_variants(name) == variants


@pytest.mark.parametrize("name, latin", [
    ("Serghaya", True), ("Jdaidet Yabous", True), ("Ad Dali", True),
    ("KAC", False), ("aldaly", False), ("Kara 2", False), ("Ул", False), ("Ras", False),
])
def test_only_latin_alternate_names_are_matched(name, latin):
    assert is_latin_name(name) is latin


def test_villages_of_the_region_are_known_and_guarded():
    gaz = gazetteer.load()
    madaya = gaz.names["Madaya"]
    assert [gaz.by_id[gid].country for gid in madaya] == ["SY"]
    assert "Madaya" in gaz.guarded
    assert gaz.names["al-Dumayr"] == gaz.names["Ad Dumayr"]
    assert {"al-Dumayr", "Ad Dumayr"} <= gaz.guarded


def test_cities_of_the_region_and_big_cities_elsewhere_are_open():
    gaz = gazetteer.load()
    assert "Aleppo" in gaz.names and "Aleppo" not in gaz.guarded
    assert "Hamadan" in gaz.names and "Hamadan" not in gaz.guarded  # Iran: 100,000 people or more
    assert "Montreux" not in gaz.names  # Switzerland: only the capital and cities of a million
    assert "St. Petersburg" in gaz.names


def test_the_sifted_gazetteer_is_cached_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(gazetteer, "CACHE_DIR", tmp_path)
    gazetteer.load.cache_clear()
    try:
        first = gazetteer.load()
        [cached] = tmp_path.glob("gazetteer-*.pickle")
        gazetteer.load.cache_clear()
        again = gazetteer.load()
        assert again is not first and again.names == first.names and again.guarded == first.guarded
        assert list(tmp_path.glob("gazetteer-*.pickle")) == [cached]
    finally:
        gazetteer.load.cache_clear()
