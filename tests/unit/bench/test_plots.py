"""Throughput plots as plain SVG."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.plots import line_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_one_line_per_engine_with_its_points() -> None:
    svg = line_chart_svg(
        "mix & more",
        {"ours": [(1, 50.0), (8, 200.0)], "peer": [(1, 5.0), (2, 6.0), (8, 9.0)]},
    )
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}polyline")) == 2
    assert len(root.findall(f"{SVG}circle")) == 5
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "mix & more" in texts and "ours" in texts and "peer" in texts
    assert "1" in texts and "10" in texts and "1,000" in texts  # decades around 5..200


def test_points_without_throughput_are_left_out() -> None:
    svg = line_chart_svg("t", {"ours": [(1, 0.0), (8, 40.0)], "dead": [(1, 0.0)]})
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}circle")) == 1


def test_nothing_to_plot_is_an_error() -> None:
    with pytest.raises(ValueError, match="no point"):
        line_chart_svg("t", {"ours": [(1, 0.0)]})
