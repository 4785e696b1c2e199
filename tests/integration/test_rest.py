"""The JSON routes for analysts, backed by the named queries, against a real server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from aseankg.graph.build import build_plans

PLAN = "asean-canada-2021-2025"
SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


def test_plans(client: httpx.Client) -> None:
    items = client.get("/api/plans").json()["items"]
    plan = next(item for item in items if item["plan"] == PLAN)
    assert plan["action_lines"] == 106  # a JSON number, not "106"
    assert plan["adopted"] == "2020-09-10"
    assert (plan["period_start"], plan["period_end"]) == (2021, 2025)


def test_one_action_line_of_a_plan(client: httpx.Client) -> None:
    body = client.get(f"/api/plans/{PLAN}/action-lines/1.5.1").json()
    line = body["line"]
    assert line["text"].startswith("Continue to support the work of the ASEAN Intergovernmental")
    assert (line["section"], line["area"]) == ("1", "1.5")
    links = {(link["kind"], link["id"], link["role"]) for link in body["links"]}
    assert {("actor", "aichr", "supports"), ("actor", "acmw", "supports")} <= links


def test_action_line_by_notation_alone(client: httpx.Client) -> None:
    assert (
        client.get("/api/action-lines/1.5.1").json()
        == client.get(f"/api/plans/{PLAN}/action-lines/1.5.1").json()
    )
    section_only = client.get("/api/action-lines/5.1.1").json()["line"]
    assert section_only["section"] == "5"
    assert section_only["area"] is None and section_only["area_title"] is None  # null, not absent
    assert section_only["line"] == "5.1.1"  # one name for a line's notation on every route


def test_unknown_line_and_plan_are_404(client: httpx.Client) -> None:
    for path in ("/api/action-lines/9.9.9", "/api/plans/no-such-plan/action-lines/1.5.1"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_actor_lines_name_the_actor(client: httpx.Client) -> None:
    body = client.get("/api/actors/aichr/action-lines").json()
    assert body["label"] == "ASEAN Intergovernmental Commission on Human Rights"
    assert body["iri"] == "https://w3id.org/aseankg/id/actor/aichr"
    assert ("1.5.1", "supports") in {(r["line"], r["role"]) for r in body["action_lines"]}
    assert client.get("/api/actors/no-such-body/action-lines").status_code == 404


def test_instrument_lines(client: httpx.Client) -> None:
    instruments = client.get("/api/instruments").json()["items"]
    unclos = next(item for item in instruments if item.get("acronym") == "UNCLOS")
    assert (unclos["type"], unclos["binding"]) == ("Convention", True)
    body = client.get("/api/instruments/unclos/action-lines").json()
    assert ("1.2.2", "conforms_to") in {(r["line"], r["role"]) for r in body["action_lines"]}
    assert client.get("/api/instruments/no-such-treaty/action-lines").status_code == 404


def test_actor_list(client: httpx.Client) -> None:
    items = client.get("/api/actors", params={"plan": PLAN}).json()["items"]
    aichr = next(item for item in items if item.get("acronym") == "AICHR")
    assert aichr["actor"].endswith("/actor/aichr")
    assert isinstance(aichr["lines"], int) and aichr["lines"] >= 1


def test_search_finds_names_and_texts(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "human rights"}).json()
    assert any(e["id"] == "aichr" and e["kind"] == "actor" for e in body["entities"])
    lines = [row["line"] for row in body["action_lines"]]
    assert "1.5.1" in lines and all(row["plan"] == PLAN for row in body["action_lines"])
    acronym = client.get("/api/search", params={"q": "AICHR"}).json()
    assert [e["id"] for e in acronym["entities"]] == ["aichr"]


def test_ids_are_slugs_acronyms_or_labels_in_any_case(client: httpx.Client) -> None:
    by_slug = client.get("/api/actors/aichr/action-lines").json()
    for wanted in ("AICHR", "Aichr", "asean intergovernmental commission on human rights"):
        assert client.get(f"/api/actors/{wanted}/action-lines").json() == by_slug, wanted
    assert client.get("/api/instruments/UNCLOS/action-lines").json()["id"] == "unclos"
    missing = client.get("/api/instruments/no-such-treaty/action-lines")
    assert missing.status_code == 404 and missing.json()["type"].endswith("unknown-instrument")


def test_an_unknown_plan_is_a_404_on_every_route(client: httpx.Client) -> None:
    for path in (
        "/api/actors",
        "/api/instruments",
        "/api/actors/aichr/action-lines",
        "/api/instruments/unclos/action-lines",
        "/api/search",
        "/api/plans/no-such-plan/action-lines/1.5.1",
    ):
        response = client.get(path, params={"plan": "no-such-plan", "q": "human"})
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
        assert "no-such-plan" in response.json()["detail"], path
    assert client.get("/api/actors", params={"plan": PLAN}).status_code == 200


def test_search_needs_a_query(client: httpx.Client) -> None:
    response = client.get("/api/search")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_documents_every_route(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/actors",
        "/api/actors/{id}/action-lines",
        "/api/instruments",
        "/api/instruments/{id}/action-lines",
        "/api/plans",
        "/api/plans/{plan}/action-lines/{notation}",
        "/api/action-lines/{notation}",
        "/api/search",
        "/sparql",
    ):
        assert path in paths, path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert "cdn." not in docs.text  # the Swagger UI is packaged: the page works offline
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_a_new_build_is_served_without_restart(
    make_server: Callable[..., str], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    build_plans([SEED], store=store)
    url = make_server(store=store)
    with httpx.Client(base_url=url, timeout=30) as client:
        before = client.get("/health").json()["version"]
        assert client.get("/api/action-lines/1.5.1").status_code == 200
        build_plans([SEED], store=store, plan_id="asean-canada-copy")  # a second plan
        after = client.get("/health").json()["version"]
        assert after != before
        plans = {item["plan"] for item in client.get("/api/plans").json()["items"]}
        assert plans == {PLAN, "asean-canada-copy"}
        conflict = client.get("/api/action-lines/1.5.1")
        assert conflict.status_code == 409
        assert "asean-canada-copy" in conflict.json()["detail"]
        one = client.get("/api/plans/asean-canada-copy/action-lines/1.5.1").json()
        assert one["line"]["plan"] == "asean-canada-copy"


def test_a_name_two_partnerships_share_is_a_409_with_their_slugs(
    make_server: Callable[..., str], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    china = SEED.parents[2] / "tests" / "data" / "plans" / "asean-china-poa-2026-2030.txt"
    build_plans([SEED, china], store=store)
    with httpx.Client(base_url=make_server(store=store), timeout=30) as client:
        jcc = client.get("/api/actors/JCC/action-lines")
        assert jcc.status_code == 409
        assert jcc.headers["content-type"] == "application/problem+json"
        slugs = client.get("/api/search", params={"q": "joint cooperation committee"}).json()
        candidates = [e["id"] for e in slugs["entities"] if e["kind"] == "actor"]
        assert len(candidates) >= 2
        for slug in candidates:  # every candidate is named, and each slug answers alone
            assert slug in jcc.json()["detail"]
            assert client.get(f"/api/actors/{slug}/action-lines").json()["id"] == slug
        # ?plan= narrows the names to the entities that plan's lines name
        plans = [p["plan"] for p in client.get("/api/plans").json()["items"]]
        narrowed: dict[str, set[str]] = {}
        for plan in plans:
            found = client.get(
                "/api/search", params={"q": "joint cooperation committee", "plan": plan}
            ).json()
            narrowed[plan] = {e["id"] for e in found["entities"] if e["kind"] == "actor"}
        assert all(len(ids) == 1 for ids in narrowed.values()), narrowed
        assert len(set.union(*narrowed.values())) == 2 and set.union(*narrowed.values()) <= set(
            candidates
        )
