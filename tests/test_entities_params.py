"""entities.params: the index's query string read (with a message for what cannot be used) and written back."""
import pytest
from django.http import QueryDict

from entities.params import EntityListParams, EntityParamsError, parse_list_params


def test_defaults_and_a_full_state_round_trip():
    assert parse_list_params(QueryDict("")) == EntityListParams()
    params = parse_list_params(QueryDict("kind=actor&q=%20Free%20%20Syrian%20&sort=name&page=3"))
    assert (params.kind, params.q, params.sort, params.page) == ("actor", "Free Syrian", "name", 3)
    assert params.query_string() == "kind=actor&q=Free+Syrian&sort=name&page=3"
    assert parse_list_params(QueryDict(params.query_string())) == params


def test_a_change_goes_back_to_page_one_except_a_new_page():
    params = EntityListParams(kind="place", page=4)
    assert params.query_string(sort="name") == "kind=place&sort=name"
    assert params.query_string(kind="") == ""
    assert params.query_string(page=5) == "kind=place&page=5"


@pytest.mark.parametrize("query", ["kind=Place", "sort=Stories", "page=1.5", "page=00", "q=a%00b"])
def test_unusable_values_are_refused(query):
    with pytest.raises(EntityParamsError):
        parse_list_params(QueryDict(query))
