"""entities.timeline: every month in the range, bars to scale, years labelled (not months), the table alternative."""
from entities.timeline import HEIGHT, LEFT, TOP, BOTTOM, draw_timeline, month_series, nice_ceiling


def test_the_series_has_every_month_from_first_to_last():
    months = month_series([("2014-11", 3), ("2015-02", 1)])
    assert [(m.value, m.count) for m in months] == [("2014-11", 3), ("2014-12", 0), ("2015-01", 0), ("2015-02", 1)]
    assert months[0].label == "November 2014"
    assert month_series([]) == []


def test_gridlines_are_round_numbers():
    assert [nice_ceiling(n) for n in (0, 1, 2, 3, 4, 5, 7, 10, 11, 48, 120, 999)] == [1, 1, 2, 3, 4, 5, 10, 10, 20, 50, 200, 1000]


def test_a_small_count_fills_the_plot_with_a_gridline_at_it():
    timeline = draw_timeline([("2014-11", 3), ("2015-02", 1)])
    assert timeline.bars[0].height == HEIGHT - TOP - BOTTOM
    assert [level.label for level in timeline.levels] == ["1", "3"]


def test_bars_are_to_scale_and_empty_months_have_none():
    timeline = draw_timeline([("2014-01", 10), ("2014-03", 5)])
    plot = HEIGHT - TOP - BOTTOM
    assert [(b.month.value, b.height) for b in timeline.bars] == [("2014-01", plot), ("2014-03", plot / 2)]
    assert all(b.y + b.height == HEIGHT - BOTTOM for b in timeline.bars)
    assert timeline.bars[0].x == LEFT
    assert [level.label for level in timeline.levels] == ["5", "10"]
    assert (timeline.total, timeline.busiest.value) == (15, "2014-01")


def test_ten_years_label_years_not_months_and_stay_apart():
    counted = [(f"{year}-{month:02d}", year - 2010 + month) for year in range(2011, 2021) for month in range(1, 13)]
    timeline = draw_timeline(counted)
    assert len(timeline.months) == 120 and len(timeline.bars) == 120
    assert [t.label for t in timeline.years] == [str(y) for y in range(2011, 2021)]
    gaps = [b.position - a.position for a, b in zip(timeline.years, timeline.years[1:])]
    assert min(gaps) > 60  # pixels between year labels: readable
    twenty = draw_timeline([(f"{year}-01", 1) for year in range(2001, 2021)])
    assert [t.label for t in twenty.years] == [str(y) for y in range(2001, 2021, 2)]


def test_the_table_has_a_row_per_year_and_blank_cells_outside_the_range():
    rows = draw_timeline([("2014-11", 3), ("2015-02", 1)]).rows()
    assert [(r.year, r.months, r.total) for r in rows] == [
        (2014, [None] * 10 + [3, 0], 3),
        (2015, [0, 1] + [None] * 10, 1),
    ]
