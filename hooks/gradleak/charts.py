"""Static, accessible SVG charts (title, description, data table beside them), drawn at
build time from plain numbers. Colours come from CSS classes, so both palettes apply."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 640
ROW = 22
LABEL = 230


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css: str = ""
    indent: int = 0


def _render(template: str, **context) -> Markup:
    from .render import environment  # render imports this module; avoid a cycle at import

    return Markup(environment().get_template(template).render(**context))


def bar_chart(chart_id: str, title: str, desc: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart, one row per bar, value printed at the end of the bar."""
    top = max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL - 50
    rows = [{"bar": b, "y": i * ROW, "w": round(span * b.value / top, 1)}
            for i, b in enumerate(bars)]
    return _render("bars.svg.jinja", id=chart_id, title=title, desc=desc, rows=rows,
                   width=WIDTH, height=len(bars) * ROW + 4, label=LABEL, row=ROW)


def stacked_columns(chart_id: str, title: str, desc: str, columns: list[tuple[int, dict[str, int]]],
                    series: list[tuple[str, str]]) -> Markup:
    """Columns (e.g. years) of stacked segments (e.g. groups); ``series`` is [(id, name)]."""
    height, base, left = 220, 190, 36
    top = max((sum(c.values()) for _, c in columns), default=0) or 1
    step = (WIDTH - left - 10) / max(len(columns), 1)
    bars = []
    for i, (x_label, counts) in enumerate(columns):
        y = base
        segments = []
        for sid, _ in series:
            h = round((base - 20) * counts.get(sid, 0) / top, 1)
            if h:
                y -= h
                segments.append({"series": sid, "y": round(y, 1), "h": h, "n": counts[sid]})
        bars.append({"x": round(left + i * step + step * 0.15, 1), "w": round(step * 0.7, 1),
                     "label": x_label, "total": sum(counts.values()), "segments": segments,
                     "top": round(y, 1)})
    ticks = sorted({0, top // 2, top})
    grid = [{"value": t, "y": round(base - (base - 20) * t / top, 1)} for t in ticks]
    return _render("columns.svg.jinja", id=chart_id, title=title, desc=desc, bars=bars,
                   series=series, width=WIDTH, height=height + 24, base=base, left=left,
                   grid=grid)
