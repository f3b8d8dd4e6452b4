"""The search page's long repeated rows, made in Python: {% facet_values facet %}, {% hit_entities item %}
and {% month_bars year %}.

A faceted search over a large archive shows some 300 facet values (each with two links), some
300 entity chips on its hits and a bar for every month of the archive. Rendered through template
loops and includes they cost four times the search itself (bench/load.py at 100,000 stories).
Here each row is one f-string whose every interpolated value goes through `escape` (even
format_html's lazy-aware escaping cost more than the rest of the row); the markup is the
templates' own.
"""
from html import escape

from django import template
from django.utils.safestring import mark_safe

from entities.markup import chip_page_link

register = template.Library()


@register.simple_tag
def facet_values(facet) -> str:
    """One <li> per value of an EntityFacet: the toggle link, the type (actors), the count, "not"."""
    return mark_safe("\n".join(_facet_value(option) for option in facet.options))


def _facet_value(option) -> str:
    state = " is-selected" if option.selected else " is-excluded" if option.excluded else ""
    hidden = " hidden" if option.hidden else ""
    value = escape(option.value)
    kind = f' <span class="facet-type">{escape(option.type)}</span>' if option.type else ""
    exclude = "" if option.excluded else (
        f'<a class="facet-exclude" href="{escape(option.exclude_url)}" title="Leave out stories mentioning {value}">not</a>'
    )
    return (f'<li class="facet-value{state}"{hidden}><a class="facet-toggle" href="{escape(option.url)}">'
            f'<span class="facet-name">{value}</span>{kind}</a> <span class="facet-count">{option.count:d}</span> {exclude}</li>')


@register.simple_tag
def hit_entities(item) -> str:
    """A hit's entities as chips narrowing the current search, each with its entity page's link."""
    return mark_safe("".join(_hit_entity(link) for link in item.entities))


def _hit_entity(link) -> str:
    page = chip_page_link(link.kind, link.value, link.page_url) if link.page_url else ""
    value = escape(link.value)
    return (f'<span class="chip-pair"><a class="chip chip-{escape(link.kind)}" href="{escape(link.url)}" '
            f'title="Narrow to stories that also mention {value}">{value}</a>{page}</span>')


@register.simple_tag
def month_bars(year) -> str:
    """A year's months as bars (YearBars.months): a link sized by its count, or an empty bar."""
    return mark_safe("\n".join(_month_bar(month) for month in year.months))


def _month_bar(month) -> str:
    # Column and height are classes, not style attributes: the Content-Security-Policy allows no inline style.
    label, count = escape(month.label), month.count
    url = month.url
    if not url:
        bar = f'<span class="bar is-empty" title="{label}: none"></span>'
    else:
        selected = " is-selected" if month.selected else ""
        stories = "story" if count == 1 else "stories"
        bar = (f'<a class="bar bar-h{round(month.height / 5):d}{selected}" href="{escape(url)}" title="{label}: {count:d} {stories}">'
               f'<span class="visually-hidden">{label}: {count:d}</span></a>')
    return f'<li class="month-{escape(month.value[5:])}">{bar}</li>'
