"""entities.maps: TopoJSON decoding, the view fitted to the places, bubbles, and the vendored world file."""
import json
import math

from entities.maps import topojson
from entities.maps.world import R_MAX, R_MIN, WORLD_BOUNDS, MapPlace, Projection, draw_map, fit_bounds, radius


def test_arcs_are_delta_decoded_and_rings_join_arcs_reversing_negative_indexes(fixtures_dir):
    topology = json.loads((fixtures_dir / "entities" / "two_squares.topojson").read_text())
    assert topojson.decode_arcs(topology)[0] == [(12.0, 20.0), (12.0, 22.0)]
    west, east = topojson.countries(topology)  # the Point has no outline
    assert west.name == "West"
    assert west.polygons == (([(12.0, 20.0), (12.0, 22.0), (10.0, 22.0), (10.0, 20.0), (12.0, 20.0)],),)
    assert east.polygons[0] == ([(12.0, 22.0), (12.0, 20.0), (14.0, 20.0), (14.0, 22.0), (12.0, 22.0)],)
    assert east.polygons[1] == ([(20.0, 30.0), (21.0, 30.0), (21.0, 31.0), (20.0, 31.0), (20.0, 30.0)],)
    assert (west.bbox, east.bbox) == ((10.0, 20.0, 12.0, 22.0), (12.0, 20.0, 21.0, 31.0))


def test_the_vendored_world_has_every_country_of_natural_earth_110m():
    world = topojson.world()
    assert len(world) == 177
    syria = next(c for c in world if c.name == "Syria")
    west, south, east, north = syria.bbox
    assert 35 < west < 36.5 and 32 < south < 33 and 42 < east < 43 and 37 < north < 37.5


def test_the_view_fits_the_places_with_a_margin_and_a_whole_world_without_any():
    assert fit_bounds([]) == WORLD_BOUNDS
    west, south, east, north = fit_bounds([(36.2, 33.5), (37.2, 36.2)])  # Damascus, Aleppo
    assert west < 36.2 and east > 37.2 and south < 33.5 and north > 36.2
    assert north - south >= 12  # one region, not a street map
    assert fit_bounds([(-120, 40), (140, -30)]) == WORLD_BOUNDS  # spread over the world


def test_bubbles_are_placed_by_the_projection_and_sized_by_area():
    places = [MapPlace("Aleppo", 40, 36.2, 37.16, "/a"), MapPlace("Homs", 10, 34.72, 36.72, "/h"),
              MapPlace("Somewhere", 5, None, None, "/s")]
    drawn = draw_map(places)
    assert [b.place.name for b in drawn.bubbles] == ["Aleppo", "Homs"]
    assert [p.name for p in drawn.unplaced] == ["Somewhere"]
    assert [p.name for p in drawn.places] == ["Aleppo", "Homs", "Somewhere"]
    aleppo, homs = drawn.bubbles
    assert aleppo.y < homs.y and aleppo.x > homs.x  # north is up, east is right
    assert 0 < aleppo.x < drawn.width and 0 < aleppo.y < drawn.height
    assert (aleppo.r, homs.r) == (R_MAX, radius(10, 40))
    assert radius(10, 40) == round(R_MIN + (R_MAX - R_MIN) * 0.5, 1)  # a quarter of the stories, a quarter of the area
    assert drawn.outlines and all(path.startswith("M") and path.endswith("Z") for path in drawn.outlines)


def test_only_countries_reaching_into_the_view_are_drawn():
    regional = draw_map([MapPlace("Aleppo", 1, 36.2, 37.16, "/a")])
    world = draw_map([])
    assert 5 < len(regional.outlines) < 40
    assert len(world.outlines) == 176  # all but Antarctica's south, which the world view leaves out


def test_the_projection_keeps_a_regions_shape():
    projection = Projection((30, 30, 46, 40), 640)
    x0, y0 = projection.point(30, 40)
    x1, y1 = projection.point(46, 30)
    assert (x0, y0) == (0, 0) and x1 == 640
    assert projection.height == round(640 * 10 / (16 * math.cos(math.radians(35)))) == round(y1)


def test_outlines_are_cut_to_the_map():
    from entities.maps.world import clip_ring

    square = [(-10, -10), (10, -10), (10, 10), (-10, 10), (-10, -10)]
    assert sorted(set(clip_ring(square, 5, 5))) == [(0, 0), (0, 5), (5, 0), (5, 5)]
    assert clip_ring([(20, 20), (30, 20), (30, 30)], 5, 5) == []
    drawn = draw_map([MapPlace("Aleppo", 1, 36.2, 37.16, "/a")])
    numbers = [float(n) for path in drawn.outlines for n in path.replace("M", " ").replace("L", " ").replace("Z", " ")
               .replace(",", " ").split()]
    xs, ys = numbers[0::2], numbers[1::2]
    assert 0 <= min(xs) and max(xs) <= drawn.width and 0 <= min(ys) and max(ys) <= drawn.height
