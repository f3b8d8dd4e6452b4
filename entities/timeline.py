"""An entity's stories per month as an SVG bar chart's geometry, drawn by templates/entities/timeline.html.

Every month from the first to the last with stories gets a slot, so gaps show as gaps. Over ten
years that is 120 bars of a few pixels each: the axis labels years, not months (every second year
past MAX_YEAR_LABELS), and the text alternative is a table of years by months.
"""
import calendar
import datetime
import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 170
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 24  # room for the count and year labels
MAX_YEAR_LABELS = 12
MONTH_NAMES = [calendar.month_abbr[m] for m in range(1, 13)]


@dataclass
class Month:
    value: str  # "YYYY-MM"
    count: int

    @property
    def label(self) -> str:
        return datetime.date(int(self.value[:4]), int(self.value[5:]), 1).strftime("%B %Y")


@dataclass
class Bar:
    month: Month
    x: float
    y: float
    width: float
    height: float


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class YearRow:
    year: int
    months: list[int | None]  # January to December; None outside the timeline
    total: int


@dataclass
class Timeline:
    months: list[Month]
    bars: list[Bar]
    years: list[Tick]  # x of each labelled January (or the first month)
    levels: list[Tick]  # y of the count gridlines
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT

    month_names = MONTH_NAMES

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def busiest(self) -> Month | None:
        return max(self.months, key=lambda m: m.count, default=None)

    @property
    def first(self) -> Month | None:
        return self.months[0] if self.months else None

    @property
    def last(self) -> Month | None:
        return self.months[-1] if self.months else None

    def rows(self) -> list[YearRow]:
        """The table alternative: a row per year, a cell per month."""
        counts = {m.value: m.count for m in self.months}
        if not self.months:
            return []
        first, last = self.months[0].value, self.months[-1].value
        rows = []
        for year in range(int(first[:4]), int(last[:4]) + 1):
            cells = []
            for month in range(1, 13):
                value = f"{year:04d}-{month:02d}"
                cells.append(counts.get(value, 0) if first <= value <= last else None)
            rows.append(YearRow(year, cells, sum(c or 0 for c in cells)))
        return rows


def month_series(counted: list[tuple[str, int]]) -> list[Month]:
    """("YYYY-MM", count) pairs as every month from the first to the last, those without stories at 0."""
    counts = dict(counted)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    months = []
    while True:
        value = f"{year:04d}-{month:02d}"
        months.append(Month(value, counts.get(value, 0)))
        if value >= last:
            return months
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above value, for round gridlines; a count
    up to 5 is its own (an entity seen 3 times in its busiest month gets a top line at 3, not 5)."""
    if value <= 5:
        return max(value, 1)
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def draw_timeline(counted: list[tuple[str, int]]) -> Timeline:
    months = month_series(counted)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if not months:
        return Timeline([], [], [], [])
    top = nice_ceiling(max(m.count for m in months))
    slot = plot_width / len(months)
    gap = 1 if slot >= 4 else 0
    bars = []
    for i, month in enumerate(months):
        if month.count:
            height = round(plot_height * month.count / top, 1)
            bars.append(Bar(month, round(LEFT + i * slot, 2), round(TOP + plot_height - height, 1),
                            round(max(slot - gap, 0.5), 2), height))
    starts = [(i, m) for i, m in enumerate(months) if m.value.endswith("-01") or i == 0]
    years = sorted({int(m.value[:4]) for _, m in starts})
    every = 1 if len(years) <= MAX_YEAR_LABELS else 2
    year_ticks = [Tick(round(LEFT + i * slot, 1), m.value[:4]) for i, m in starts
                  if (int(m.value[:4]) - years[0]) % every == 0
                  # a first month late in its year leaves no room for its label before next January's
                  and not (i == 0 and not m.value.endswith("-01") and int(m.value[5:]) > 9 and len(starts) > 1)]
    levels = [Tick(round(TOP + plot_height * (1 - level / top), 1), f"{level:,}") for level in (top // 2, top)
              if level and (level != top // 2 or top >= 2)]
    return Timeline(months, bars, year_ticks, levels)
