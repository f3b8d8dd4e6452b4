"""Maps for pages of other apps: {% places_map facet %} draws the places of a search's place facet.

    {% load entity_maps %}
    {% places_map page.facets.place "where-map" "Where these stories happen" %}
"""
from django import template

from digest.models import Entity

from ..maps.world import MapPlace, draw_map

register = template.Library()


@register.inclusion_tag("entities/map.html")
def places_map(facet, map_id: str, title: str):
    """A bubble per value of the place facet (the 100 most frequent in the results), at the place's
    coordinates, sized by its count there, linking to the search narrowed to it."""
    options = [option for option in facet.options if option.count and not option.excluded]
    coordinates = dict(
        (name, (latitude, longitude)) for name, latitude, longitude in
        Entity.objects.filter(kind=Entity.PLACE, name__in=[o.value for o in options])
        .values_list("name", "latitude", "longitude")
    )
    places = [MapPlace(o.value, o.count, *coordinates.get(o.value, (None, None)), facet.narrow_url(o.value),
                       current=o.selected)
              for o in options]
    return {"map": draw_map(places), "map_id": map_id, "map_title": title}
