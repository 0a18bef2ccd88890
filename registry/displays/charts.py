"""Charts as server-rendered SVG: plain shapes and links, no script, readable without colour."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from registry.displays.models import DISPLAY_STATES
from registry.submissions.models import FORMATS

COLOURS = {
    "approved": "#1d3f8f",
    "installed": "#1b6e3a",
    "overdue": "#b3261e",
    "removed": "#8d8582",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    count: int
    label: str
    url: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[tuple[str, float, int, str]]  # label, y, total, url
    bars: list[Bar]
    label_width: int


def format_chart(data, *, width: int = 480, row: int = 34, label_width: int = 90) -> Chart:
    """Stacked horizontal bars: one per format, one segment per state, each a link."""
    formats = list(data.by_format.items())
    biggest = max((sum(c.values()) for _, c in formats), default=0) or 1
    room = width - label_width - 60
    rows, bars = [], []
    for i, (fmt, counts) in enumerate(formats):
        y = 8 + i * row
        total = sum(counts.values())
        link = url_for("displays.index", campaign_id=data.campaign_id, format=fmt)
        rows.append((str(FORMATS[fmt]), y, total, link))
        x = float(label_width)
        for state, count in counts.items():
            if not count:
                continue
            w = max(2.0, room * count / biggest)
            bars.append(
                Bar(
                    x,
                    y,
                    w,
                    row - 12,
                    COLOURS[state],
                    count,
                    f"{FORMATS[fmt]} – {DISPLAY_STATES[state]}: {count}",
                    url_for(
                        "displays.index", campaign_id=data.campaign_id, format=fmt, state=state
                    ),
                )
            )
            x += w
    return Chart(width, 16 + len(formats) * row, rows, bars, label_width)
