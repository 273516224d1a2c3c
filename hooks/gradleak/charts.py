"""Static, accessible SVG charts (title, description, data table beside them), drawn at
build time from plain numbers. Colours come from CSS classes, so both palettes apply.

Every chart is a list of horizontal bars, each under its label. The SVGs have no viewBox:
their user unit is the CSS pixel, so text keeps its size (readable on a phone) while bar
lengths are percentages of the chart's width; labels are wrapped at build time to a width
that fits the narrowest screen (320 px), so none is ever cut."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup

from .templating import environment

FONT = 13  # px, labels and values
LINE = 17  # px between label lines
BAR = 14  # px, bar thickness
GAP = 10  # px after each row
WRAP = 32  # characters per label line: fits 280 px of content at 13 px in wide fonts
SPAN = 80  # % of the width for the longest bar: room for its value and an indent
INDENT = 14  # px per sub-category level


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css: str = ""
    indent: int = 0


def _render(template: str, **context) -> Markup:
    return Markup(environment().get_template(template).render(**context))


def _rows(labels: list[str]) -> tuple[list[dict], int]:
    """Vertical layout: each row's label lines, the y of its first line and of its bar."""
    rows, y = [], 0
    for label in labels:
        lines = textwrap.wrap(label, WRAP, break_long_words=False) or [""]
        rows.append({"lines": lines, "text_y": y + FONT, "bar_y": y + len(lines) * LINE + 2})
        y += len(lines) * LINE + 2 + BAR + GAP
    return rows, y


def _pct(value: float, top: int) -> float:
    return round(SPAN * value / (top or 1), 2)


def bar_chart(chart_id: str, title: str, desc: str, bars: list[Bar]) -> Markup:
    """One bar per row under its label, the value printed after the bar."""
    top = max((b.value for b in bars), default=0)
    rows, height = _rows([b.label for b in bars])
    for row, bar in zip(rows, bars, strict=True):
        row.update(bar=bar, x=bar.indent * INDENT, w=_pct(bar.value, top))
    return _render("bars.svg.jinja", id=chart_id, title=title, desc=desc, rows=rows,
                   height=height, bar=BAR, font=FONT, lh=LINE)


def stacked_bars(chart_id: str, title: str, desc: str,
                 rows_data: list[tuple[int | str, dict[str, int]]],
                 series: list[tuple[str, str]]) -> Markup:
    """Rows (e.g. years) of stacked segments (e.g. groups); ``series`` is [(id, name)];
    a legend of the series on top."""
    top = max((sum(c.values()) for _, c in rows_data), default=0)
    legend_height = LINE + 8
    rows, height = _rows([str(label) for label, _ in rows_data])
    for row, (label, counts) in zip(rows, rows_data, strict=True):
        x, segments = 0.0, []
        for sid, name in series:
            n = counts.get(sid, 0)
            if n:
                w = _pct(n, top)
                segments.append({"series": sid, "name": name, "x": round(x, 2), "w": w, "n": n})
                x += w
        row.update(label=label, segments=segments, total=sum(counts.values()), end=round(x, 2))
        row["text_y"] += legend_height
        row["bar_y"] += legend_height
    legend = [{"id": sid, "name": name, "x": round(100 * i / max(len(series), 1), 2)}
              for i, (sid, name) in enumerate(series)]
    return _render("columns.svg.jinja", id=chart_id, title=title, desc=desc, rows=rows,
                   legend=legend, height=height + legend_height, bar=BAR, font=FONT, lh=LINE)
