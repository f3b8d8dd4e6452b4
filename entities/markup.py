"""Small pieces of entity markup that pages of every app repeat by the hundred, made in Python.

A search page shows some 300 entity chips; built through a template include each, they took
longer to render than the search took to run.
"""
from html import escape

from django.utils.safestring import mark_safe


def chip_page_link(kind: str, name: str, url: str) -> str:
    """The small link at a chip's end to the entity's own page."""
    name = escape(name)
    return mark_safe(
        f'<a class="chip-page chip-page-{escape(kind)}" href="{escape(url)}" title="About {name}: its timeline, map and companions">'
        f'<span aria-hidden="true">i</span><span class="visually-hidden">About {name}</span></a>'
    )
