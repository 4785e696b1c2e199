"""The Endpoint section of docs/benchmarks.md: replaced in place, ratios and targets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.report import END, START, render_endpoint, replace_section, write_report


def _cell(engine: str, workload: str, clients: int, rps: float, family: str) -> dict[str, Any]:
    return {
        "engine": engine, "dataset": "seed", "workload": workload, "family": family,
        "analyst": family != "trivial", "clients": clients, "duration_s": 2.0,
        "requests": int(rps * 2), "rps": rps, "p50_ms": 1.0, "p90_ms": 2.0, "p95_ms": 3.0,
        "p99_ms": 25.0 if family == "selective" else 4.0, "mean_ms": 1.5, "max_ms": 9.0,
        "errors": 0, "note": "",
    }  # fmt: skip


def _results() -> dict[str, Any]:
    cells = []
    for engine, factor in (("aseankg", 10.0), ("Oxigraph", 20.0), ("rdflib-endpoint", 0.5)):
        for clients in (1, 8):
            cells.append(_cell(engine, "by-actor", clients, 10 * factor, "selective"))
            cells.append(_cell(engine, "ask", clients, 100 * factor, "trivial"))
            cells.append(_cell(engine, "analyst mix", clients, 5 * factor * clients, "mix"))
    return {
        "mode": "quick", "started": "2026-11-27 21:00 UTC", "elapsed_s": 120.0,
        "machine": {"CPU": "Test CPU × 2"}, "versions": {"aseankg": "0.1.0"},
        "settings": {"duration_s": 2, "clients": [1, 8], "mix_clients": [1, 8], "workers": 1},
        "engines": [
            {"name": "aseankg", "command": "aseankg serve", "note": ""},
            {"name": "Oxigraph", "command": "oxigraph serve-read-only", "note": ""},
            {"name": "rdflib-endpoint", "command": "rdflib-endpoint serve", "note": ""},
        ],
        "datasets": [{"name": "seed", "plans": 1, "quads": 10, "build_s": 5.0,
                      "oxigraph_load_s": 0.5}],
        "workloads": {"seed": [
            {"name": "by-actor", "family": "selective", "values": ["AICHR"]},
            {"name": "ask", "family": "trivial", "values": []},
        ]},
        "servers": [{"engine": "aseankg", "dataset": "seed", "startup_s": 3.0, "rss_mb": 100.0,
                     "loadavg": "0.1 0.1 0.1", "problems": ["by-actor(X): 2 rows, expected 3"]}],
        "cells": cells, "profiles": [], "notes": ["a note"],
    }  # fmt: skip


def test_replace_section_keeps_the_other_sections() -> None:
    document = (
        f"# Benchmarks\n\n## Build\n\nold build\n\n## Endpoint\n\n{START}\nold\n{END}\n\n## After\n"
    )
    replaced = replace_section(document, "new table")
    assert f"{START}\nnew table\n{END}" in replaced
    assert "old\n" not in replaced.split(START)[1]
    assert replaced.startswith("# Benchmarks\n\n## Build\n\nold build\n")
    assert replaced.endswith("\n\n## After\n")


def test_replace_section_appends_when_there_are_no_markers() -> None:
    replaced = replace_section("# Benchmarks\n\n## Parsing\n\ntext\n", "body")
    assert (
        replaced == f"# Benchmarks\n\n## Parsing\n\ntext\n\n## Endpoint\n\n{START}\nbody\n{END}\n"
    )


def test_replace_section_refuses_a_broken_marker_pair() -> None:
    with pytest.raises(ValueError, match="marker"):
        replace_section(f"{END}\n{START}\n", "body")


def test_render_shows_ratios_targets_and_checks(tmp_path: Path) -> None:
    text = render_endpoint(_results(), tmp_path)
    # ours 100 req/s vs Oxigraph 200 and rdflib-endpoint 5 on the analyst query
    assert "| by-actor | selective | 8 | 100 | 200 | 5.0 | 0.50× | 20× |" in text
    assert "≥ 10× rdflib-endpoint (geometric mean; lowest) | 20×; 20× | yes |" in text
    assert "≥ 0.8× Oxigraph (geometric mean; lowest) | 0.50×; 0.50× | no |" in text
    assert "p99 of selective lookups < 20 ms" in text and "25.0 ms" in text
    assert "by-actor(X): 2 rows, expected 3" in text
    assert "- a note" in text
    assert (tmp_path / "bench-endpoint-seed.svg").read_text().startswith("<svg")


def test_write_report_replaces_only_the_endpoint_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\n## Build\n\nkept\n\n## Endpoint\n\n{START}\nstale\n{END}\n")
    write_report(_results(), doc, tmp_path / "img")
    text = doc.read_text()
    assert "## Build\n\nkept\n" in text
    assert "stale" not in text
    assert text.count(START) == 1 and text.count(END) == 1


def test_estimated_cells_are_marked(tmp_path: Path) -> None:
    results = _results()
    for cell in results["cells"]:
        if cell["engine"] == "rdflib-endpoint" and cell["workload"] == "by-actor":
            cell["note"] = "estimated: one answer takes 200.0 s, too slow for a timed cell"
    text = render_endpoint(results, tmp_path)
    assert "| by-actor | selective | 8 | 100 | 200 | ≈5.0 | 0.50× | 20× |" in text
    assert "estimated: one answer takes 200.0 s" in text
