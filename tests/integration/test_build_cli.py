"""``aseankg build / export / query`` end to end on the seed plan and a second plan."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aseankg.api.cli import run
from aseankg.graph.query import select_table
from aseankg.graph.store import BUILDS, open_store, read_manifest
from aseankg.graph.validate import check_store
from aseankg.graph.vocabulary import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
NZ = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"
PLAN = "asean-canada-2021-2025"
PREFIX = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_seed_graph_holds_8_sections_24_areas_106_lines(seed_store: Path) -> None:
    store = open_store(seed_store)
    for cls, count in (("Section", 8), ("Area", 24), ("ActionLine", 106)):
        table = select_table(store, PREFIX + f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a akg:{cls} }}")
        assert table.rows == ((str(count),),), cls


def test_the_seed_graph_conforms_to_the_shapes(seed_store: Path) -> None:
    assert check_store(seed_store).plans == 1


def test_every_mention_points_at_its_quote(seed_store: Path) -> None:
    store = open_store(seed_store)
    text = select_table(store, PREFIX + "SELECT ?t WHERE { ?e akg:canonicalText ?t }").rows[0][0]
    assert text == SEED.read_text("utf-8")
    rows = select_table(
        store,
        PREFIX
        + "SELECT ?s ?e ?exact WHERE { ?m a akg:Mention ; oa:hasTarget/oa:hasSelector ?p , ?q ."
        " ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?exact }",
    ).rows
    assert len(rows) > 100
    for start, end, exact in rows:
        assert text[int(start) : int(end)] == exact


def test_build_then_query_answers_a_new_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store")
    code, out, err = _cli(capsys, "build", str(SEED), "--store", store)
    assert code == 0, err
    assert "106" in out and PLAN in out and "triples" in out
    code, out, _ = _cli(
        capsys, "query", "action-lines-by-actor", "--param", "actor=AICHR", "--store", store
    )
    assert code == 0
    assert out.splitlines()[2].split()[:2] == ["1.5.1", PLAN]
    code, out, _ = _cli(
        capsys,
        "query",
        "action-lines-by-instrument",
        "--param",
        "instrument=UNCLOS",
        "--store",
        store,
        "--format",
        "json",
    )
    bindings = json.loads(out)["results"]["bindings"]
    assert [b["line"]["value"] for b in bindings] == ["1.2.2"]
    code, out, _ = _cli(
        capsys,
        "query",
        "action-lines-by-actor",
        "--param",
        "actor=ACMW",
        "--store",
        store,
        "--format",
        "csv",
    )
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == ["1.5.1", "3.5.1"]


def test_build_without_paths_rebuilds_the_stored_plans_and_data_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    store = tmp_path / "store"
    assert _cli(capsys, "build", str(NZ), "--store", str(store))[0] == 0
    code, out, err = _cli(capsys, "build", "--store", str(store))
    assert code == 0, err
    sources = sorted((ROOT / "data" / "sources").glob("*.txt"))
    manifest = read_manifest(store)
    plans = [p.plan for p in manifest.plans]
    assert len(plans) == len(sources) + 1 and PLAN in plans
    # the plan added with `build PATH` is rebuilt from its recorded source, not dropped
    nz = next(p for p in manifest.plans if p.plan == "asean-new-zealand-2026-2030")
    assert nz.source == str(NZ)
    assert "asean-new-zealand-2026-2030" in out and "kept" not in out
    # --replace without paths: data/sources/ alone, from empty
    assert _cli(capsys, "build", "--replace", "--store", str(store))[0] == 0
    assert "asean-new-zealand-2026-2030" not in [p.plan for p in read_manifest(store).plans]


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "query", "actors", "--store", str(tmp_path / "none"))
    assert code == 1 and err.count("\n") == 1 and "aseankg build" in err
    code, _, err = _cli(capsys, "build", str(tmp_path / "missing.txt"), "--store", str(tmp_path))
    assert code == 1 and "no such file" in err
    code, _, err = _cli(capsys, "query", "no-such-query", "--store", str(tmp_path))
    assert code == 1 and "no named query" in err


def test_export_csv_equals_extract_csv(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, exported, _ = _cli(capsys, "export", "--store", str(seed_store), "--format", "csv")
    assert code == 0
    code, extracted, _ = _cli(capsys, "extract", str(SEED), "--format", "csv")
    assert code == 0
    # the same rows (export sorts them by offset; extract keeps the extractor's order)
    assert exported.splitlines()[0] == extracted.splitlines()[0]
    assert sorted(exported.splitlines()) == sorted(extracted.splitlines())


def test_two_builds_export_identical_nq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dumps = []
    for name in ("a", "b"):
        store = str(tmp_path / name)
        assert _cli(capsys, "build", str(SEED), "--store", store)[0] == 0
        code, out, _ = _cli(capsys, "export", "--store", store, "--format", "nq")
        assert code == 0
        dumps.append(out)
    assert dumps[0] == dumps[1]
    assert "_:" not in dumps[0]
    assert read_manifest(tmp_path / "a").version == read_manifest(tmp_path / "b").version


def test_two_plans_keep_their_own_graphs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    code, out, err = _cli(capsys, "build", str(SEED), str(NZ), "--store", str(store))
    assert code == 0, err
    assert "[1/2]" in err and "[2/2]" in err
    before = {p.plan: p for p in read_manifest(store).plans}
    assert set(before) == {PLAN, "asean-new-zealand-2026-2030"}
    code, out, err = _cli(capsys, "build", str(NZ), "--store", str(store))
    assert code == 0, err
    after = {p.plan: p for p in read_manifest(store).plans}
    assert after[PLAN].sha256 == before[PLAN].sha256  # copied, untouched
    assert "kept" in out
    code, out, _ = _cli(
        capsys,
        "query",
        "lines-per-section",
        "--param",
        "plan=asean-new-zealand-2026-2030",
        "--store",
        str(store),
        "--format",
        "json",
    )
    plans = {b["plan"]["value"] for b in json.loads(out)["results"]["bindings"]}
    assert plans == {"asean-new-zealand-2026-2030"}


def test_failed_validation_exits_3_and_keeps_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert _cli(capsys, "build", str(SEED), "--store", str(store))[0] == 0
    version = read_manifest(store).version
    bad = tmp_path / "asean-canada-duplicate.txt"
    text = SEED.read_text("utf-8").replace(
        "1.1.2. Continue to promote", "1.1.1. Continue to promote"
    )
    bad.write_text(text, "utf-8")
    code, _, err = _cli(capsys, "build", str(bad), "--store", str(store))
    assert code == 3
    assert f"{bad}: action line 1.1.1 is numbered twice" in err
    assert read_manifest(store).version == version
    assert len(list((store / BUILDS).iterdir())) == 1


_KILLABLE = """
import sys, time
from aseankg.graph.build import build_records, read_records
def records():
    yield from read_records([sys.argv[2]])
    print("spooled", flush=True)
    time.sleep(120)
build_records(records(), store=sys.argv[1])
"""


def _answers(store: Path) -> list[str]:
    rows = select_table(
        open_store(store),
        PREFIX
        + "SELECT ?n WHERE { ?l akg:referencesActor <https://w3id.org/aseankg/id/actor/aichr> ;"
        " skos:notation ?n }",
    ).rows
    return [row[0] for row in rows]


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(["build", str(SEED), "--store", str(store)]) == 0
    version = read_manifest(store).version
    # killed while writing the new store
    with subprocess.Popen(
        [sys.executable, "-c", _KILLABLE, str(store), str(NZ)], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "spooled"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert read_manifest(store).version == version
    assert _answers(store) == ["1.5.1"]
    # killed at moments spread over a whole CLI build
    aseankg = Path(sys.executable).with_name("aseankg")
    for delay in (0.3, 1.0, 2.0, 3.0):
        build = subprocess.Popen(
            [str(aseankg), "build", str(SEED), str(NZ), "--store", str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert _answers(store) == ["1.5.1"]
    # and the next build still succeeds, removing the dead builds' leftovers
    assert run(["build", str(SEED), "--store", str(store)]) == 0
    assert len(list((store / BUILDS).iterdir())) <= 2


class _Endpoint:
    """A minimal SPARQL endpoint over the seed store (POST form), for --endpoint."""

    def __init__(self, store: Path) -> None:
        import http.server
        import threading
        import urllib.parse

        from aseankg.graph.query import QueryJob, execute

        oxigraph = open_store(store)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                accept = self.headers.get("Accept", "")
                kind = "csv" if "text/csv" in accept else "json"
                body = execute(oxigraph, QueryJob(form["query"][0], solutions_format=kind)).body
                self.send_response(200)
                ctype = "text/csv" if kind == "csv" else "application/sparql-results+json"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_query_on_an_endpoint(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = _Endpoint(seed_store)
    try:
        code, out, err = _cli(
            capsys,
            "query",
            "action-lines-by-actor",
            "--param",
            "actor=AICHR",
            "--endpoint",
            endpoint.url,
        )
        assert code == 0, err
        assert out.splitlines()[2].split()[:2] == ["1.5.1", PLAN]
        code, out, _ = _cli(
            capsys,
            "query",
            "action-lines-by-actor",
            "--param",
            "actor=ACMW",
            "--endpoint",
            endpoint.url,
            "--format",
            "csv",
        )
        assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == ["1.5.1", "3.5.1"]
    finally:
        endpoint.close()
    code, _, err = _cli(capsys, "query", "actors", "--endpoint", endpoint.url)
    assert code == 1 and "endpoint" in err
