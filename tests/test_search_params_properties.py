"""Generated query strings for the search: any address gives results or a 400 with a reason, never a
server error, from the real views (the API and the page) over the fixture archive.

Keys are the search's own parameters and any others, repeated or not; values any text (control
characters, unassigned code points, thousands of characters), %-escaped or raw, valid UTF-8 or not.
"""
from urllib.parse import quote

import pytest
from hypothesis import event, example, given, strategies as st

from api.schemas import ErrorBody, SearchAnswer
from search.results import FACETS

NAMES = ["q", "from", "to", "sort", "page", "expand", *FACETS, *("not_" + f for f in FACETS)]

values = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), min_size=400, max_size=3000),
    st.sampled_from(["Aleppo", "Al*", "*", '"safe zones', "(Aleppo OR", "NOT", "Raqqa AND NOT Idlib", "headline:x",
                     "2014-12-01", "2014-02-30", "0", "1", "2", "999999999999999999999", "-1", "newest", "relevance",
                     "Staffan de Mistura", "\x00", "\ufffd", "Ḥomṣ", "حلب"]),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
)


def unescaped(raw: bytes) -> str:
    """Bytes put in the address as they are, the way WSGI hands them to Django (as Latin-1 text)."""
    return raw.decode("latin-1").replace("&", "").replace("=", "").replace("#", "")


# How a value travels in the address: %-escaped as UTF-8, raw (WSGI hands bytes over as Latin-1),
# or as %-escapes of bytes that need not be UTF-8.
encoded_values = st.one_of(
    st.builds(lambda v: quote(v, safe=""), values),
    values.map(lambda v: unescaped(v.encode())),
    st.binary(max_size=20).map(lambda b: "".join(f"%{byte:02X}" for byte in b)),
    st.binary(max_size=20).map(unescaped),
)
keys = st.one_of(st.sampled_from(NAMES), st.text(max_size=10).map(lambda k: quote(k, safe="")))
query_strings = st.builds(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs), st.lists(st.tuples(keys, encoded_values), max_size=12)
)


@pytest.fixture
def archive(search_archive, client):
    return client


@given(query_strings)
@example("q=Aleppo&place=Aleppo&actor=Staffan+de+Mistura")
@example("q=" + "Aleppo+" * 1500)
@example("&".join(f"place=p{n}" for n in range(1001)))
@example("q=Alep\xffpo")
@example("page=2&page=%00")
def test_any_query_string_gives_results_or_a_reason(archive, query_string):
    api = archive.get("/api/search/", QUERY_STRING=query_string)
    assert api.status_code in (200, 400), (api.status_code, api.content[:300])
    if api.status_code == 200:
        event("results")
        SearchAnswer.model_validate(api.json())
    else:
        event("400")
        assert len(ErrorBody.model_validate(api.json()).error) > 10
    page = archive.get("/search/", QUERY_STRING=query_string)
    assert page.status_code == api.status_code
