"""A map of places drawn server-side as SVG: country outlines and a bubble per place sized by its stories.

No tile server and no script: the outlines are the vendored Natural Earth countries
(entities.maps.topojson), projected equirectangularly with the longitude scaled by the cosine of
the view's middle latitude, so the region shown keeps its shape. The view fits the places with a
margin (or is the whole world when there are none); a bubble's area is proportional to its count.
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .topojson import world

WIDTH = 640
ASPECT = 0.62  # height / width of a regional view
MIN_SPAN = 12.0  # degrees of latitude a view shows at least, so one place is seen in its region
MARGIN = 0.25  # of the places' extent, added on every side
WORLD_BOUNDS = (-180.0, -58.0, 180.0, 84.0)  # west, south, east, north (Antarctica left out)
R_MIN, R_MAX = 3.0, 22.0


@dataclass
class MapPlace:
    name: str
    count: int
    latitude: float | None
    longitude: float | None
    url: str  # where its bubble leads
    current: bool = False  # the page's own place, drawn apart


@dataclass
class Bubble:
    place: MapPlace
    x: float
    y: float
    r: float


@dataclass
class PlaceMap:
    width: int
    height: int
    outlines: tuple[str, ...]  # SVG path data, one per country in view
    bubbles: list[Bubble]  # largest first, so smaller ones stay on top and clickable
    unplaced: list[MapPlace] = field(default_factory=list)  # places without coordinates

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def bubble_markup(self) -> str:
        """A link per bubble, made here rather than in a template loop: a map has up to 100 of them."""
        return format_html_join(
            "\n", '<a href="{}" class="place-map-bubble{}" aria-label="{}: {} {}"><circle cx="{}" cy="{}" r="{}">'
            '<title>{}: {}</title></circle></a>',
            ((b.place.url, " is-current" if b.place.current else "", b.place.name, b.place.count,
              "story" if b.place.count == 1 else "stories", f"{b.x:g}", f"{b.y:g}", f"{b.r:g}", b.place.name, b.place.count)
             for b in self.bubbles),
        )

    @property
    def land(self) -> str:
        """The outlines as SVG <path> elements, made once per view (a world view is some 60 KB to escape)."""
        return land_markup(self.outlines)

    @property
    def places(self) -> list[MapPlace]:
        """Every place, by count then name: the map's text alternative lists them."""
        return sorted([b.place for b in self.bubbles] + self.unplaced, key=lambda p: (-p.count, p.name))


def draw_map(places: list[MapPlace], width: int = WIDTH) -> PlaceMap:
    located = [p for p in places if p.latitude is not None and p.longitude is not None]
    bounds = fit_bounds([(p.longitude, p.latitude) for p in located])
    projection = Projection(bounds, width)
    busiest = max((p.count for p in located), default=0)
    bubbles = [
        Bubble(p, *projection.point(p.longitude, p.latitude), radius(p.count, busiest))
        for p in sorted(located, key=lambda p: (-p.count, p.name))
    ]
    return PlaceMap(width, projection.height, outlines(bounds, width), bubbles,
                    [p for p in places if p not in located])


def radius(count: int, busiest: int) -> float:
    if busiest <= 0:
        return R_MIN
    return round(R_MIN + (R_MAX - R_MIN) * math.sqrt(count / busiest), 1)


def fit_bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """West, south, east, north around the points with a margin, at least MIN_SPAN tall, in whole degrees
    (so the outlines of a view are drawn once and reused), shaped to the map's aspect; the world without points."""
    if not points:
        return WORLD_BOUNDS
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    pad_x, pad_y = (east - west) * MARGIN, (north - south) * MARGIN
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    middle = (south + north) / 2
    cos = max(math.cos(math.radians(middle)), 0.2)
    height = max(north - south, MIN_SPAN, (east - west) * cos * ASPECT)
    span = height / ASPECT / cos
    centre_x, centre_y = (west + east) / 2, middle
    west, east = centre_x - span / 2, centre_x + span / 2
    south, north = centre_y - height / 2, centre_y + height / 2
    if east - west >= 300 or north - south >= 120:
        return WORLD_BOUNDS
    return (math.floor(west), math.floor(south), math.ceil(east), math.ceil(north))


class Projection:
    """Equirectangular, longitudes scaled by the cosine of the view's middle latitude, fitted to `width`."""

    def __init__(self, bounds, width):
        self.west, self.south, self.east, self.north = bounds
        self.cos = max(math.cos(math.radians((self.south + self.north) / 2)), 0.2)
        self.scale = width / ((self.east - self.west) * self.cos)
        self.height = round((self.north - self.south) * self.scale)
        # Tenths of a pixel only where a degree is wide enough for them to show.
        self.digits = 1 if self.scale >= 5 else None

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (round((longitude - self.west) * self.cos * self.scale, self.digits),
                round((self.north - latitude) * self.scale, self.digits))


@lru_cache(maxsize=256)
def outlines(bounds: tuple[float, float, float, float], width: int) -> tuple[str, ...]:
    """SVG path data of every country that reaches into the view; the SVG's viewport clips the rest."""
    projection = Projection(bounds, width)
    west, south, east, north = bounds
    paths = []
    for country in world():
        c_west, c_south, c_east, c_north = country.bbox
        if c_east < west or c_west > east or c_north < south or c_south > north:
            continue
        parts = []
        for polygon in country.polygons:
            for ring in polygon:
                points = _distinct(clip_ring([projection.point(x, y) for x, y in ring], width, projection.height))
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        if parts:
            paths.append("".join(parts))
    return tuple(paths)


def clip_ring(points: list[tuple[float, float]], width: float, height: float) -> list[tuple[float, float]]:
    """The ring cut to the rectangle (0, 0)-(width, height), edge by edge (Sutherland-Hodgman): nothing
    drawn reaches past the map, so the page never lays out land it cannot show."""
    edges = (
        (lambda p: p[0] >= 0, lambda a, b: _at_x(a, b, 0)),
        (lambda p: p[0] <= width, lambda a, b: _at_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _at_y(a, b, 0)),
        (lambda p: p[1] <= height, lambda a, b: _at_y(a, b, height)),
    )
    for inside, crossing in edges:
        if not points:
            break
        kept = []
        for i, point in enumerate(points):
            previous = points[i - 1]
            if inside(point):
                if not inside(previous):
                    kept.append(crossing(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(crossing(previous, point))
        points = kept
    return points


def _at_x(a, b, x):
    return (x, round(a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]), 1))


def _at_y(a, b, y):
    return (round(a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), 1), y)


@lru_cache(maxsize=256)
def land_markup(paths: tuple[str, ...]) -> str:
    # Path data is numbers and the letters M, L and Z that this module wrote: nothing to escape.
    return mark_safe("".join(f'<path d="{path}"></path>' for path in paths))


def _distinct(points) -> list[tuple[float, float]]:
    """The points without repeats of the one before (many collapse at a world view's scale)."""
    kept = []
    for point in points:
        if not kept or point != kept[-1]:
            kept.append(point)
    return kept
