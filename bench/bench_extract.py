"""Extraction speed (not a test: run it, read the table for docs/benchmarks.md).

Usage: ``.venv/bin/python bench/bench_extract.py [--runs N] [--plans N]``.

Measures: loading the authority file; building the spaCy pipeline from config.cfg and
the authority (cold: cache cleared); extracting the seed plan (parsed once) with the
pipeline built; and extracting a corpus of synthetic plans (bench/synthetic.py, parsed
beforehand), reported as action lines per second.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aseankg.extract.extractor import extract_plan  # noqa: E402
from aseankg.extract.nlp import pipeline  # noqa: E402
from aseankg.extract.parser import parse_plan  # noqa: E402
from aseankg.ontology.authority import load_authority  # noqa: E402
from bench.synthetic import generate_plan  # noqa: E402

SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PARTNERS = ("Australia", "China", "the European Union", "India", "Japan",
            "the Republic of Korea", "New Zealand", "the Russian Federation",
            "the United Kingdom", "the United States")  # fmt: skip


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the NLP extractor.")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per measure")
    parser.add_argument("--plans", type=int, default=100, help="synthetic plans in the corpus")
    parser.add_argument("--quick", action="store_true", help="3 runs, 20 plans")
    args = parser.parse_args(argv)
    runs, plans = (3, 20) if args.quick else (args.runs, args.plans)

    start = time.perf_counter()
    authority = load_authority()
    authority_s = time.perf_counter() - start

    builds = []
    for _ in range(runs):
        pipeline._build.cache_clear()
        start = time.perf_counter()
        pipeline.load_pipeline(authority)
        builds.append(time.perf_counter() - start)

    seed = parse_plan(SEED)
    extract_plan(seed, authority=authority)  # warm
    seed_runs = []
    for _ in range(runs):
        start = time.perf_counter()
        extract_plan(seed, authority=authority)
        seed_runs.append(time.perf_counter() - start)

    folder = Path(tempfile.mkdtemp(prefix="aseankg-bench-"))
    corpus = []
    for index in range(plans):
        partner = PARTNERS[index % len(PARTNERS)]
        year = 2021 - 5 * (index // len(PARTNERS))
        path = folder / f"plan-{index:04d}.txt"
        path.write_text(generate_plan(index, partner, (year, year + 4)), "utf-8")
        corpus.append(parse_plan(path))
    lines = sum(len(plan.action_lines) for plan in corpus)
    start = time.perf_counter()
    mentions = 0
    for plan in corpus:
        extraction = extract_plan(plan, authority=authority)
        mentions += sum(len(line.mentions) for line in extraction.lines)
    corpus_s = time.perf_counter() - start

    print(f"Machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; {runs} runs, medians.\n")  # fmt: skip
    print("| measure | value |")
    print("|---|---:|")
    print(f"| authority file load ({len(authority)} entities) | {_ms(authority_s)} ms |")
    print(f"| pipeline construction (cold) | {_ms(statistics.median(builds))} ms |")
    print(f"| seed extraction ({len(seed.action_lines)} lines, pipeline built) "
          f"| {_ms(statistics.median(seed_runs))} ms |")  # fmt: skip
    print(f"| corpus: {plans} synthetic plans, {lines} lines, {mentions} mentions "
          f"| {_ms(corpus_s)} ms |")  # fmt: skip
    print(f"| corpus throughput | {lines / corpus_s:,.0f} action lines/s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
