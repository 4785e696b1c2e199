"""Server-side SVG: well-formed, escaped, linked, deterministic, honest about empty data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from aseankg.api.pages.pictures import (
    HEAT,
    Label,
    QueryLink,
    render_heatmap,
    render_neighbourhood,
    render_stacked_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
QUERY = QueryLink("Actor by section matrix", "/sparql#query=SELECT&tabTitle=x")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def cells(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if g.get("class") == "cell"]


def test_heatmap_has_one_cell_per_row_and_column_with_its_count() -> None:
    rows = [Label("a", "AICHR", "Human rights body", "/id/actor/aichr"), Label("b", "UN")]
    cols = [Label("s1", "1", "1. Politics", "/id/s/1"), Label("s2", "2")]
    root = parse(
        render_heatmap(rows, cols, {("a", "s1"): 3, ("b", "s2"): 1}, title="T", query=QUERY)
    )
    found = {(g.find(SVG + "rect").get("fill"), g.get("data-count")) for g in cells(root)}  # type: ignore[union-attr]
    assert len(cells(root)) == 4
    assert (HEAT[-1], "3") in found and (HEAT[0], "0") in found
    hrefs = [a.get("href") for a in root.iter(SVG + "a")]
    assert "/id/actor/aichr" in hrefs and "/id/s/1" in hrefs and QUERY.href in hrefs


def test_heatmap_shades_more_lines_darker() -> None:
    rows = [Label(k, k) for k in "abc"]
    cols = [Label("s", "1")]
    root = parse(
        render_heatmap(
            rows, cols, {("a", "s"): 1, ("b", "s"): 5, ("c", "s"): 10}, title="T", query=QUERY
        )
    )
    fills = [HEAT.index(g.find(SVG + "rect").get("fill") or "") for g in cells(root)]  # type: ignore[union-attr]
    assert fills[0] < fills[1] < fills[2]


def test_labels_are_escaped_and_the_svg_stays_well_formed() -> None:
    nasty = Label("x", "<script>&", 'a "quoted" <b>', "/id/x?a=1&b=2")
    svg = render_heatmap([nasty], [Label("s", "1")], {("x", "s"): 1}, title="<T&>", query=QUERY)
    root = parse(svg)
    assert "<script>" not in svg
    texts = "".join(root.itertext())
    assert "<script>&" in texts and "<T&>" in texts
    assert "/id/x?a=1&b=2" in [a.get("href") for a in root.iter(SVG + "a")]


def test_empty_data_says_there_is_nothing_to_show_and_still_links_the_query() -> None:
    for svg in (
        render_heatmap([], [Label("s", "1")], {}, title="Heat", query=QUERY),
        render_stacked_bars(
            [Label("s", "1")], [Label("t", "Treaty")], {}, title="Bars", query=QUERY
        ),
        render_neighbourhood(Label("e", "E"), [], [], [], title="Around E", query=QUERY),
    ):
        root = parse(svg)
        assert "nothing to show" in "".join(root.itertext())
        assert QUERY.href in [a.get("href") for a in root.iter(SVG + "a")]


def test_stacked_bar_segments_are_proportional_to_their_counts() -> None:
    bars = [Label("s1", "1 Politics"), Label("s2", "2 Economy")]
    series = [Label("t", "Treaty"), Label("p", "Plan")]
    counts = {("s1", "t"): 2, ("s1", "p"): 2, ("s2", "t"): 1}
    root = parse(render_stacked_bars(bars, series, counts, title="Types", query=QUERY))
    widths = {
        r.get("data-count"): float(r.get("width") or 0)
        for r in root.iter(SVG + "rect")
        if r.get("class") == "segment"
    }
    segments = [r for r in root.iter(SVG + "rect") if r.get("class") == "segment"]
    assert len(segments) == 3
    assert widths["2"] == 2 * widths["1"]
    assert {"Treaty", "Plan"} <= set(root.itertext())


def test_neighbourhood_draws_the_centre_its_lines_and_co_mentioned_entities() -> None:
    centre = Label("aichr", "AICHR", "Human rights body", "/id/actor/aichr", "Actor")
    lines = [
        Label("l1", "1.5.1", "Action line 1.5.1", "/id/line/1.5.1", "ActionLine"),
        Label("l2", "1.5.2", "Action line 1.5.2", "/id/line/1.5.2", "ActionLine"),
    ]
    others = [Label("acwc", "ACWC", kind="Actor"), Label("tor", "TOR", kind="Instrument")]
    edges = [("l1", "acwc"), ("l2", "tor")]
    svg = render_neighbourhood(centre, lines, others, edges, title="Around AICHR", query=QUERY)
    root = parse(svg)
    kinds = [g.get("data-kind") or "" for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert sorted(kinds) == ["ActionLine", "ActionLine", "Actor", "Actor", "Instrument"]
    dashed = [ln for ln in root.iter(SVG + "line") if ln.get("stroke-dasharray")]
    assert len(dashed) == 2
    assert svg == render_neighbourhood(
        centre, lines, others, edges, title="Around AICHR", query=QUERY
    )


def test_every_picture_has_an_accessible_name() -> None:
    svg = render_heatmap(
        [Label("a", "A")], [Label("s", "1")], {("a", "s"): 1}, title="Heat", query=QUERY
    )
    root = parse(svg)
    assert root.get("role") == "img"
    ids = (root.get("aria-labelledby") or "").split()
    named = {el.get("id"): el.text for el in root.iter() if el.get("id")}
    assert named[ids[0]] == "Heat"
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
