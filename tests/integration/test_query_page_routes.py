"""The query page's server side on the real seed graph: the config it embeds (named
queries with their parameters, views and tags, the ontology's terms for completion) and
the pickers' suggestions (``/api/suggest?kind=``)."""

from __future__ import annotations

import json
import re

import httpx

from aseankg.queries.loader import list_queries

HTML = {"Accept": "text/html"}


def _config(client: httpx.Client) -> dict[str, object]:
    page = client.get("/sparql", headers=HTML).text
    found = re.search(
        r'<script type="application/json" id="query-config">(.*?)</script>', page, re.S
    )
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_the_page_describes_every_named_query_with_its_form_view_and_tags(
    client: httpx.Client,
) -> None:
    config = _config(client)
    examples = config["examples"]
    assert isinstance(examples, dict)
    assert set(examples) == {q.name for q in list_queries()}
    by_actor = examples["action-lines-by-actor"]
    assert by_actor["required"] is True and by_actor["tags"] == ["actors"]
    actor = by_actor["params"][0]
    assert (actor["name"], actor["required"], actor["picker"]) == ("actor", True, "actor")
    assert by_actor["params"][1]["picker"] == "plan"
    assert examples["actor-section-matrix"]["view"] == "heatmap"
    roles = examples["instruments-by-role"]["params"][0]
    assert roles["choices"] == ["implements", "conforms_to", "promotes", "references"]


def test_completion_terms_come_from_the_ontology_with_labels(client: httpx.Client) -> None:
    terms = {t["curie"]: t for t in _config(client)["vocabulary"]}  # type: ignore[attr-defined]
    assert terms["akg:ActionLine"]["kind"] == "class"
    assert terms["akg:ActionLine"]["label"] == "action line"
    assert terms["akg:linkedActor"]["kind"] == "property"
    assert terms["org:subOrganizationOf"]["kind"] == "property"
    assert terms["akg:topic_maritime_security"]["kind"] == "concept"


def test_a_required_parameter_query_offers_no_download_of_unbound_results(
    client: httpx.Client,
) -> None:
    page = client.get("/sparql", headers=HTML).text
    item = page[page.index('id="example-action-lines-by-actor"') :]
    item = item[: item.index("</li>")]
    assert "format=csv" not in item and "once its parameters are filled in" in item
    matrix = page[page.index('id="example-actor-section-matrix"') :]
    assert "format=csv" in matrix[: matrix.index("</li>")]


def _suggest(client: httpx.Client, **params: str) -> list[dict[str, str]]:
    response = client.get("/api/suggest", params=params)
    assert response.status_code == 200
    suggestions: list[dict[str, str]] = response.json()["suggestions"]
    return suggestions


def test_pickers_suggest_each_kind_with_the_value_a_parameter_takes(
    client: httpx.Client,
) -> None:
    actors = _suggest(client, q="aichr", kind="actor")
    assert actors[0]["value"] == "https://w3id.org/aseankg/id/actor/aichr"
    assert all(s["kind"] == "Actor" for s in actors)
    assert all(s["kind"] == "Instrument" for s in _suggest(client, q="un", kind="instrument"))
    plans = _suggest(client, q="", kind="plan")
    assert [p["value"] for p in plans] == ["asean-canada-2021-2025"]
    sections = _suggest(client, q="economic", kind="section")
    assert [(s["value"], s["context"]) for s in sections] == [("2", "asean-canada-2021-2025")]
    partners = _suggest(client, q="CANADA", kind="partner")
    assert [(s["value"], s["label"]) for s in partners] == [("asean-canada", "ASEAN–Canada")]
    topics = _suggest(client, q="maritime", kind="topic")
    assert topics[0]["value"] == "maritime-security" and topics[0]["label"] == "maritime security"
    assert client.get("/api/suggest", params={"q": "x", "kind": "colour"}).status_code == 400
