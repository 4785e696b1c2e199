"""Line charts as plain SVG text (no plotting library): throughput vs concurrency.

The y axis is logarithmic because the engines differ by orders of magnitude.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["line_chart_svg"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
_W, _H = 640, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 170, 40, 50


def _decades(low: float, high: float) -> list[float]:
    start = math.floor(math.log10(low))
    stop = math.ceil(math.log10(high))
    return [10.0**e for e in range(start, stop + 1)]


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def line_chart_svg(
    title: str,
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    x_label: str = "concurrent clients",
    y_label: str = "requests/s (log scale)",
) -> str:
    """An SVG line chart of ``series`` (name -> [(x, y)]), x on a log2 axis, y on a
    log10 axis. Points with y <= 0 are left out. Raises ``ValueError`` with no points."""
    points = [(x, y) for values in series.values() for x, y in values if y > 0 and x > 0]
    if not points:
        raise ValueError("no point to plot")
    xs = sorted({x for x, _ in points})
    ticks_y = _decades(min(y for _, y in points), max(y for _, y in points))
    lx0, lx1 = math.log2(xs[0]), math.log2(xs[-1]) if len(xs) > 1 else math.log2(xs[0]) + 1
    ly0, ly1 = math.log10(ticks_y[0]), math.log10(ticks_y[-1])
    if ly1 == ly0:
        ly1 = ly0 + 1
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def px(x: float) -> float:
        return _LEFT + (math.log2(x) - lx0) / (lx1 - lx0) * plot_w

    def py(y: float) -> float:
        return _TOP + plot_h - (math.log10(y) - ly0) / (ly1 - ly0) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{_W}" height="{_H}" fill="white"/>',
        f'<text x="{_W / 2:.0f}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    for tick in ticks_y:
        y = py(tick)
        out.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(tick)}</text>')
    for x in xs:
        xp = px(x)
        out.append(
            f'<line x1="{xp:.1f}" y1="{_TOP}" x2="{xp:.1f}" y2="{_TOP + plot_h}" stroke="#eee"/>'
        )
        out.append(f'<text x="{xp:.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle">{x:g}</text>')
    out.append(
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" '
        'fill="none" stroke="#444"/>'
    )
    out.append(
        f'<text x="{_LEFT + plot_w / 2:.0f}" y="{_H - 12}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    out.append(
        f'<text x="16" y="{_TOP + plot_h / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {_TOP + plot_h / 2:.0f})">{escape(y_label)}</text>'
    )
    for index, (name, values) in enumerate(series.items()):
        colour = _COLOURS[index % len(_COLOURS)]
        kept = sorted((x, y) for x, y in values if x > 0 and y > 0)
        if not kept:
            continue
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in kept)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.extend(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}">'
            f"<title>{escape(name)}: {y:,.1f} req/s at {x:g}</title></circle>"
            for x, y in kept
        )
        ly = _TOP + 14 + index * 18
        lx = _LEFT + plot_w + 12
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        out.append(f'<text x="{lx + 24}" y="{ly}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
