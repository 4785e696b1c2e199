"""Server-side SVG pictures: a heatmap, stacked bars, a small graph around an entity and a
timeline of editions.

Pure functions from plain data to an SVG string: no store, no HTTP. The same string is
served as ``image/svg+xml`` and inlined into the HTML pages, so every picture works
without JavaScript; links inside the SVG (cells, bars, nodes, the query that produced the
picture) are ordinary ``<a href>`` elements a keyboard can reach. Text is escaped here;
callers pass plain strings. Nothing here raises for well-typed input: empty data gives a
picture that says there is nothing to show.

>>> svg = render_heatmap(
...     [Label("a", "AICHR", "ASEAN Intergovernmental Commission on Human Rights")],
...     [Label("1", "1", "Political and Security Cooperation")],
...     {("a", "1"): 2},
...     title="Actors by section",
...     query=QueryLink("actor-section-matrix", "/sparql#query=..."),
... )
>>> svg.startswith("<svg")
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = [
    "FONT",
    "HEAT",
    "KIND_COLOURS",
    "SERIES",
    "Label",
    "QueryLink",
    "Span",
    "render_heatmap",
    "render_neighbourhood",
    "render_stacked_bars",
    "render_timeline",
]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
# Sequential blues for counts (colour-blind safe); index 0 is "no line".
HEAT = ("#f3f5f8", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
# Okabe-Ito, then greys: distinguishable for the common colour-vision deficiencies.
SERIES = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#7f7f7f",
    "#bdbdbd",
)
KIND_COLOURS = {"Actor": "#0072b2", "Instrument": "#d55e00", "ActionLine": "#4d4d4d"}


@dataclass(frozen=True)
class Label:
    """One row, column, bar, series or node: ``key`` identifies it, ``text`` is shown,
    ``title`` is the full name (tooltip and accessible name), ``href`` its page."""

    key: str
    text: str
    title: str = ""
    href: str | None = None
    kind: str = ""
    colour: str = ""


@dataclass(frozen=True)
class QueryLink:
    """The query that produced a picture: its name and a link that reopens it."""

    name: str
    href: str


def _attr(value: str | int | float) -> str:
    return escape(str(value), quote=True)


def _text_width(text: str, size: float) -> float:
    # Average advance of a sans-serif glyph; enough to size label columns.
    return 0.58 * size * len(text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{_attr(href)}" aria-label="{_attr(label)}">{inner}</a>'


def _open(width: float, height: float, title: str, desc: str, uid: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{_attr(FONT)}" '
        f'class="picture" data-picture="{uid}">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
    )


def _footer(query: QueryLink, y: float) -> str:
    text = f"Made by the query “{query.name}” — open it"
    inner = (
        f'<text x="8" y="{y:.0f}" font-size="12" fill="#1a5fb4" '
        f'text-decoration="underline">{escape(text)}</text>'
    )
    return _link(query.href, inner, f"Open the query {query.name}")


def _empty(title: str, query: QueryLink, uid: str) -> str:
    return (
        _open(480, 70, title, "Nothing to show: the graph holds no matching lines.", uid)
        + f'<text x="8" y="24" font-size="14">{escape(title)}: nothing to show.</text>'
        + _footer(query, 56)
        + "</svg>"
    )


def _heat_colour(count: int, top: int) -> str:
    if count <= 0 or top <= 0:
        return HEAT[0]
    step = math.ceil(count / top * (len(HEAT) - 1))
    return HEAT[max(1, min(step, len(HEAT) - 1))]


def render_heatmap(
    rows: Sequence[Label],
    columns: Sequence[Label],
    counts: Mapping[tuple[str, str], int],
    *,
    title: str,
    query: QueryLink,
    uid: str = "heatmap",
) -> str:
    """A grid of ``rows`` × ``columns`` whose cells are shaded and labelled by ``counts``.

    Row and column labels link to their pages; each non-empty cell carries a tooltip.
    """
    if not rows or not columns:
        return _empty(title, query, uid)
    cell, gap, size = 34, 2, 12
    left = 12 + max(_text_width(r.text, size) for r in rows)
    top_margin = 44 + max(_text_width(c.text, size) for c in columns) * 0.75
    width = max(left + len(columns) * (cell + gap) + 16, _text_width(title, 15) + 24, 360)
    grid_bottom = top_margin + len(rows) * (cell + gap)
    height = grid_bottom + 48
    top = max(counts.values(), default=0)
    parts = [
        _open(width, height, title, f"{len(rows)} rows by {len(columns)} columns", uid),
        f'<text x="8" y="20" font-size="15" font-weight="600">{escape(title)}</text>',
    ]
    for j, col in enumerate(columns):
        x = left + j * (cell + gap) + cell / 2
        y = top_margin - 6
        label = (
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="#222" '
            f'transform="rotate(-45 {x:.1f} {y:.1f})">{escape(col.text)}'
            f"<title>{escape(col.title or col.text)}</title></text>"
        )
        parts.append(_link(col.href, label, col.title or col.text))
    for i, row in enumerate(rows):
        y = top_margin + i * (cell + gap)
        label = (
            f'<text x="{left - 6:.1f}" y="{y + cell / 2 + 4:.1f}" font-size="{size}" '
            f'text-anchor="end" fill="#222">{escape(row.text)}'
            f"<title>{escape(row.title or row.text)}</title></text>"
        )
        parts.append(_link(row.href, label, row.title or row.text))
        for j, col in enumerate(columns):
            n = counts.get((row.key, col.key), 0)
            x = left + j * (cell + gap)
            fill = _heat_colour(n, top)
            tip = f"{row.title or row.text} in {col.title or col.text}: {n} action line(s)"
            parts.append(
                f'<g class="cell" data-count="{n}"><rect x="{x:.1f}" y="{y:.1f}" '
                f'width="{cell}" height="{cell}" fill="{fill}"><title>{escape(tip)}</title>'
                "</rect>"
            )
            if n:
                ink = "#fff" if HEAT.index(fill) >= 4 else "#111"
                parts.append(
                    f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" font-size="12" '
                    f'text-anchor="middle" fill="{ink}" aria-hidden="true">{n}</text>'
                )
            parts.append("</g>")
    parts.append(_footer(query, grid_bottom + 30))
    parts.append("</svg>")
    return "".join(parts)


def render_stacked_bars(
    bars: Sequence[Label],
    series: Sequence[Label],
    counts: Mapping[tuple[str, str], int],
    *,
    title: str,
    query: QueryLink,
    uid: str = "bars",
) -> str:
    """One horizontal bar per entry of ``bars``, split into ``series`` by ``counts``,
    with a legend; each segment carries a tooltip with its count."""
    totals = {b.key: sum(counts.get((b.key, s.key), 0) for s in series) for b in bars}
    if not bars or not series or not any(totals.values()):
        return _empty(title, query, uid)
    size, bar_h, gap = 12, 22, 8
    left = 12 + max(_text_width(b.text, size) for b in bars)
    plot_w = 420.0
    most = max(totals.values())
    legend_cols = 3
    legend_rows = math.ceil(len(series) / legend_cols)
    chart_top = 36
    chart_bottom = chart_top + len(bars) * (bar_h + gap)
    legend_top = chart_bottom + 12
    width = left + plot_w + 60
    height = legend_top + legend_rows * 20 + 40
    colours = {s.key: SERIES[min(i, len(SERIES) - 1)] for i, s in enumerate(series)}
    parts = [
        _open(width, height, title, f"{len(bars)} bars split into {len(series)} kinds", uid),
        f'<text x="8" y="20" font-size="15" font-weight="600">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = chart_top + i * (bar_h + gap)
        label = (
            f'<text x="{left - 6:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="{size}" '
            f'text-anchor="end" fill="#222">{escape(bar.text)}'
            f"<title>{escape(bar.title or bar.text)}</title></text>"
        )
        parts.append(_link(bar.href, label, bar.title or bar.text))
        x = left
        for s in series:
            n = counts.get((bar.key, s.key), 0)
            if not n:
                continue
            w = n / most * plot_w
            tip = f"{bar.title or bar.text}: {n} × {s.title or s.text}"
            parts.append(
                f'<rect class="segment" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{bar_h}" fill="{colours[s.key]}" stroke="#fff" stroke-width="1" '
                f'data-count="{n}"><title>{escape(tip)}</title></rect>'
            )
            x += w
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="{size}" '
            f'fill="#222">{totals[bar.key]}</text>'
        )
    col_w = (width - 16) / legend_cols
    for k, s in enumerate(series):
        lx = 8 + (k % legend_cols) * col_w
        ly = legend_top + (k // legend_cols) * 20
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="12" height="12" fill="{colours[s.key]}"/>'
            f'<text x="{lx + 17:.1f}" y="{ly + 11:.1f}" font-size="{size}" fill="#222">'
            f"{escape(_shorten(s.text, 28))}</text>"
        )
    parts.append(_footer(query, height - 12))
    parts.append("</svg>")
    return "".join(parts)


def _ring(
    count: int, radius: float, cx: float, cy: float, phase: float
) -> list[tuple[float, float]]:
    return [
        (
            cx + radius * math.cos(phase + 2 * math.pi * k / count),
            cy + radius * math.sin(phase + 2 * math.pi * k / count),
        )
        for k in range(count)
    ]


def _node(label: Label, x: float, y: float, *, centre: bool = False) -> str:
    colour = label.colour or KIND_COLOURS.get(label.kind, "#6b6b6b")
    name = label.title or label.text
    if label.kind == "ActionLine":
        w = _text_width(label.text, 11) + 12
        shape = (
            f'<rect x="{x - w / 2:.1f}" y="{y - 10:.1f}" width="{w:.1f}" height="20" rx="4" '
            f'fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
        )
        text = (
            f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#111">{escape(label.text)}</text>'
        )
    else:
        r = 9 if centre else 6
        shape = (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{colour}" transform="rotate(45 {x:.1f} {y:.1f})"/>'
            if label.kind == "Instrument"
            else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
        )
        weight = ' font-weight="700"' if centre else ""
        text = (
            f'<text x="{x:.1f}" y="{y + r + 13:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#111"{weight}>{escape(_shorten(label.text, 24))}</text>'
        )
    inner = f'<g class="node" data-kind="{_attr(label.kind)}"><title>{escape(name)}</title>'
    return _link(label.href, inner + shape + text + "</g>", name)


def render_neighbourhood(
    centre: Label,
    lines: Sequence[Label],
    neighbours: Sequence[Label],
    edges: Sequence[tuple[str, str]],
    *,
    title: str,
    query: QueryLink,
    uid: str = "graph",
    plans: Sequence[Label] = (),
) -> str:
    """The entity ``centre`` joined to the action ``lines`` that mention it, and each line
    to the other entities (``neighbours``) it mentions; ``edges`` are (line key, neighbour
    key) pairs. Layout is deterministic: lines on an inner ring in the given order,
    neighbours on an outer ring near the lines they share. ``plans`` is the legend: each
    plan the lines come from, in its lines' outline colour, linked to its page."""
    if not lines:
        return _empty(title, query, uid)
    size = 560.0
    cx = cy = size / 2
    inner = _ring(len(lines), 120, cx, cy, -math.pi / 2)
    place = {line.key: pos for line, pos in zip(lines, inner, strict=True)}
    index = {line.key: k for k, line in enumerate(lines)}

    def mean_angle(key: str) -> float:
        # Circular mean of the angles (from the top, clockwise) of the lines naming ``key``.
        ks = [index[a] for a, b in edges if b == key and a in index]
        sx = sum(math.cos(2 * math.pi * k / len(lines)) for k in ks)
        sy = sum(math.sin(2 * math.pi * k / len(lines)) for k in ks)
        return math.atan2(sy, sx) % (2 * math.pi) if ks else 0.0

    ordered = sorted(neighbours, key=lambda n: (mean_angle(n.key), n.text))
    # Each neighbour goes near the mean angle of its lines, pushed apart just enough
    # that labels do not collide, then the whole arc is re-centred on those angles.
    targets = [mean_angle(n.key) for n in ordered]
    gap = min(2 * math.pi / len(ordered), 0.42) if ordered else 0.0
    spread: list[float] = []
    for target in targets:
        spread.append(max(target, spread[-1] + gap) if spread else target)
    shift = (sum(spread) - sum(targets)) / len(spread) if spread else 0.0
    outer = [
        (cx + 230 * math.cos(a - shift - math.pi / 2), cy + 230 * math.sin(a - shift - math.pi / 2))
        for a in spread
    ]
    place.update({n.key: pos for n, pos in zip(ordered, outer, strict=True)})
    legend_h = 20 * len(plans)
    parts = [
        _open(
            size,
            size + 30 + legend_h,
            title,
            f"{centre.title or centre.text}: {len(lines)} action line(s), "
            f"{len(neighbours)} entity(ies) mentioned with it",
            uid,
        ),
        f'<text x="8" y="20" font-size="15" font-weight="600">{escape(title)}</text>',
        '<g stroke="#9a9a9a" stroke-width="1" aria-hidden="true">',
    ]
    for x, y in inner:
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>')
    for a, b in edges:
        if a in place and b in place:
            (x1, y1), (x2, y2) = place[a], place[b]
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                'stroke-dasharray="3 2"/>'
            )
    parts.append("</g>")
    for n in ordered:
        parts.append(_node(n, *place[n.key]))
    for line in lines:
        parts.append(_node(line, *place[line.key]))
    parts.append(_node(centre, cx, cy, centre=True))
    for k, plan in enumerate(plans):
        y = size + 6 + 20 * k
        item = (
            f'<g class="plan"><rect x="8" y="{y:.0f}" width="14" height="14" rx="3" fill="#fff" '
            f'stroke="{_attr(plan.colour or "#4d4d4d")}" stroke-width="2"/>'
            f'<text x="28" y="{y + 12:.0f}" font-size="12" fill="#111">{escape(plan.text)}</text>'
            f"<title>{escape(plan.title or plan.text)}</title></g>"
        )
        parts.append(_link(plan.href, item, plan.title or plan.text))
    parts.append(_footer(query, size + 20 + legend_h))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Span:
    """One edition on a timeline: its label (text, tooltip, page), first and last year
    and its number of action lines."""

    label: Label
    start: int
    end: int
    lines: int


def render_timeline(
    rows: Sequence[tuple[Label, Sequence[Span]]], *, title: str, uid: str = "timeline"
) -> str:
    """One row per partnership (``rows``: its label and its editions), each edition a bar
    from its first to its last year, labelled with its period and line count, linked to
    its plan's page; a year axis below. Editions without a period are left out."""
    spans = [s for _, row in rows for s in row]
    if not spans:
        return (
            _open(480, 40, title, "No edition with a period to show.", uid)
            + f'<text x="8" y="24" font-size="14">{escape(title)}: nothing to show.</text></svg>'
        )
    first = min(s.start for s in spans)
    last = max(s.end for s in spans) + 1
    size, row_h = 12, 30
    left = 12 + max(_text_width(label.text, size) for label, _ in rows)
    year_w = max(28.0, 420 / max(1, last - first))
    width = max(left + (last - first) * year_w + 16, 360)
    top = 32
    height = top + len(rows) * row_h + 34
    parts = [
        _open(width, height, title, f"{len(spans)} edition(s) of {len(rows)} partnership(s)", uid),
        f'<text x="8" y="20" font-size="15" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, editions) in enumerate(rows):
        y = top + i * row_h
        name = (
            f'<text x="{left - 6:.1f}" y="{y + 17:.1f}" font-size="{size}" text-anchor="end" '
            f'fill="#222">{escape(label.text)}<title>{escape(label.title or label.text)}</title>'
            "</text>"
        )
        parts.append(_link(label.href, name, label.title or label.text))
        for k, span in enumerate(editions):
            x = left + (span.start - first) * year_w
            w = (span.end - span.start + 1) * year_w - 2
            colour = SERIES[k % 4]
            tip = f"{span.label.title or span.label.text}: {span.lines} action line(s)"
            bar = (
                f'<g class="edition" data-lines="{span.lines}"><rect x="{x:.1f}" y="{y + 3:.1f}" '
                f'width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
                f'<text x="{x + 4:.1f}" y="{y + 17:.1f}" font-size="11" fill="#fff">'
                f"{escape(_shorten(span.label.text, int(w / 6.5)))}</text></g>"
            )
            parts.append(_link(span.label.href, bar, tip))
    axis = top + len(rows) * row_h + 14
    step = 1 if last - first <= 12 else 5
    for year in range(first, last + 1):
        if (year - first) % step == 0:
            x = left + (year - first) * year_w
            parts.append(
                f'<text x="{x:.1f}" y="{axis:.1f}" font-size="10" text-anchor="middle" '
                f'fill="#555">{year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
