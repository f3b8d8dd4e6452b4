"""Country outlines from a TopoJSON file, decoded into rings of (longitude, latitude) points.

TopoJSON stores each shared border once as an "arc" of quantized, delta-encoded points; a polygon
lists the arcs of each ring by index, a negative index (~i) meaning arc i reversed. Decoding is
small enough to own: no geometry library is needed to draw outlines.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORLD = Path(__file__).parent / "data" / "world-atlas" / "countries-110m.json"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: its outer ring, then its holes
    bbox: tuple[float, float, float, float]  # west, south, east, north


def decode_arcs(topology: dict) -> list[Ring]:
    """Every arc as absolute (longitude, latitude) points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(x), float(y)) for x, y, *_ in arc]
        arcs.append(points)
    return arcs


def ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    """One closed ring from its arcs; consecutive arcs share their joining point, kept once."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def countries(topology: dict, object_name: str = "countries") -> list[Country]:
    arcs = decode_arcs(topology)
    result = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygon_arcs = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygon_arcs = geometry["arcs"]
        else:
            continue  # a geometry without an area (none in the world file) has no outline to draw
        polygons = tuple(tuple(ring(arcs, r) for r in rings) for rings in polygon_arcs)
        points = [p for polygon in polygons for p in polygon[0]]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        result.append(Country(geometry.get("properties", {}).get("name", ""), polygons,
                              (min(xs), min(ys), max(xs), max(ys))))
    return result


@lru_cache(maxsize=1)
def world() -> tuple[Country, ...]:
    """The vendored Natural Earth countries, decoded once per process."""
    return tuple(countries(json.loads(WORLD.read_text(encoding="utf-8"))))
