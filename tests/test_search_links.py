"""search.templatetags.search_links: pages of other apps link into search through these tags."""
import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source, **context):
    return Template("{% load search_links %}" + source).render(Context(context))


def test_entity_search_url_is_the_canonical_search_for_the_value():
    assert render('{% entity_search_url "place" "Deir ez-Zor" %}') == "/search/?place=Deir+ez-Zor"
    assert render("{% entity_search_url kind name %}", kind="actor", name="People's Protection Units") == (
        "/search/?actor=People%27s+Protection+Units"
    )


def test_entity_search_url_of_two_values_searches_for_both():
    assert render('{% entity_search_url "place" "Aleppo" "actor" "ISIS" %}') == "/search/?place=Aleppo&amp;actor=ISIS"
    assert render('{% entity_search_url "place" "Aleppo" "place" "Homs" %}') == "/search/?place=Aleppo&amp;place=Homs"


def test_entity_search_url_refuses_a_kind_that_is_no_facet():
    with pytest.raises(TemplateSyntaxError, match="'month' is not a facet"):
        render('{% entity_search_url "month" "2014-11" %}')
