"""{% chip_page_link kind name url %}: the link at a chip's end to the entity's own page (entities.markup)."""
from django import template

from ..markup import chip_page_link as page_link

register = template.Library()


@register.simple_tag
def chip_page_link(kind: str, name: str, url: str) -> str:
    return page_link(kind, name, url)
