"""Linked data at /id/ and the ontology at /ontology, against a real server."""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from aseankg.api.pages.browse import local_href
from aseankg.api.pages.highlight import Marked, highlight_line
from aseankg.api.routes.linked_data import canonical_path

StartServer = Callable[..., str]

BASE = "https://w3id.org/aseankg/id/"
LINE = "plan/asean-canada-2021-2025/line/1.5.1"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def value(term: object) -> str:
    """The IRI or lexical form of a term."""
    return str(getattr(term, "value", term))


def triples(response: httpx.Response) -> list[pyoxigraph.Triple]:
    media = response.headers["content-type"].split(";")[0]
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
    assert rdf_format is not None, media
    return [q.triple for q in pyoxigraph.parse(response.content, format=rdf_format)]


def test_action_line_page_for_a_browser(client: httpx.Client) -> None:
    response = client.get(f"/id/{LINE}", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-location"] == f"/id/{LINE}.html"
    assert "Accept" in response.headers["vary"]
    page = response.text
    assert "Continue to support the work of the ASEAN Intergovernmental Commission" in page
    assert 'href="/id/plan/asean-canada-2021-2025/section/1"' in page
    assert '<html lang="en">' in page and "<h1>" in page
    # the mention is marked at its offsets in the text and links to the actor's own page
    assert (
        '<mark data-start="9979" data-end="10037" title="ASEAN Intergovernmental Commission on'
        ' Human Rights"><a href="/id/actor/aichr">ASEAN Intergovernmental Commission on Human'
        " Rights (AICHR)</a></mark>"
    ) in page
    # titled with its notation and plan, under a breadcrumb
    assert "<h1>1.5.1 · ASEAN–Canada 2021–2025</h1>" in page
    assert 'aria-label="Breadcrumb"' in page


@pytest.mark.parametrize(
    ("accept", "media_type", "suffix"),
    [
        ("text/turtle", "text/turtle", "ttl"),
        ("application/ld+json", "application/ld+json", "jsonld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_rdf_by_accept_and_by_suffix_agree(
    client: httpx.Client, accept: str, media_type: str, suffix: str
) -> None:
    by_accept = client.get(f"/id/{LINE}", headers={"accept": accept})
    by_suffix = client.get(f"/id/{LINE}.{suffix}")
    for response in (by_accept, by_suffix):
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
        assert response.headers["content-location"] == f"/id/{LINE}.{suffix}"
    found = {(value(t.subject), value(t.predicate), value(t.object)) for t in triples(by_accept)}
    assert (BASE + LINE, SKOS_NOTATION, "1.5.1") in found
    assert found == {
        (value(t.subject), value(t.predicate), value(t.object)) for t in triples(by_suffix)
    }


def test_description_includes_incoming_links(client: httpx.Client) -> None:
    section = "plan/asean-canada-2021-2025/section/1"
    found = triples(client.get(f"/id/{section}.nt"))
    assert any(value(t.object) == BASE + section for t in found)
    assert any(value(t.subject) == BASE + section for t in found)


def test_unknown_iri_is_404_problem_for_programs_and_a_page_for_browsers(
    client: httpx.Client,
) -> None:
    for path in ("/id/actor/no-such-body", "/id/actor/no-such-body.ttl", "/id/plan/x/line/9.9.9"):
        for accept in (None, "*/*", "application/json", "text/turtle"):
            response = client.get(path, headers={"accept": accept} if accept else {})
            assert response.status_code == 404
            assert response.headers["content-type"] == "application/problem+json", accept
        page = client.get(path, headers={"accept": BROWSER})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in page.text and "is not in the graph" in page.text
        assert 'href="/"' in page.text and "Accept" in page.headers["vary"]
    # an unknown route too, for a browser
    page = client.get("/no/such/page", headers={"accept": BROWSER})
    assert page.status_code == 404 and "<code>/no/such/page</code>" in page.text


def test_unacceptable_type_is_406(client: httpx.Client) -> None:
    response = client.get(f"/id/{LINE}", headers={"accept": "image/png"})
    assert response.status_code == 406


def test_head_on_a_resource(client: httpx.Client) -> None:
    response = client.head(f"/id/{LINE}.ttl")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/turtle")


def test_actor_page_shows_the_body_and_its_place(client: httpx.Client) -> None:
    response = client.get("/id/actor/aichr", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert "ASEAN Intergovernmental Commission on Human Rights" in response.text
    lines = response.text[response.text.index('id="lines-h"') :]
    edition = lines.index('<a href="/id/plan/asean-canada-2021-2025">ASEAN–Canada 2021–2025</a>')
    section = lines.index(">1. Political and Security Cooperation</a></h5>")
    assert edition < section < lines.index('href="/id/plan/asean-canada-2021-2025/line/1.5.1"')
    data = json.loads(client.get("/id/actor/aichr.jsonld").text)
    assert any(node.get("@id") == BASE + "actor/aichr" for node in data)


def test_actor_page_shows_parent_and_sub_bodies(client: httpx.Client) -> None:
    page = client.get("/id/actor/arf-isms", headers={"accept": BROWSER}).text
    organisation = page[
        page.index('id="org-h"') : page.index("</section>", page.index('id="org-h"'))
    ]
    assert 'Part of: <a href="/id/actor/arf">' in organisation
    assert 'href="/id/actor/arf-ism-dr"' in organisation


def test_plan_page_lists_its_sections_in_order(client: httpx.Client) -> None:
    page = client.get("/id/plan/asean-canada-2021-2025", headers={"accept": BROWSER}).text
    first = page.index("1. Political and Security Cooperation")
    assert first < page.index(">2. ") < page.index(">8. ")


def test_section_page_lists_its_lines(client: httpx.Client) -> None:
    page = client.get("/id/plan/asean-canada-2021-2025/section/5", headers={"accept": BROWSER}).text
    assert 'href="/id/plan/asean-canada-2021-2025/line/5.1.1"' in page


def test_links_inside_pages_resolve(client: httpx.Client) -> None:
    page = client.get(f"/id/{LINE}", headers={"accept": BROWSER}).text
    hrefs = {part.split('"', 1)[0] for part in page.split('href="')[1:]}
    local = sorted(h for h in hrefs if h.startswith("/id/"))
    assert local
    for href in local[:15]:
        assert client.get(href, headers={"accept": BROWSER}).status_code == 200, href


def test_ontology_as_turtle_and_html(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    classes = {
        value(t.subject)
        for t in triples(turtle)
        if value(t.object) == "http://www.w3.org/2002/07/owl#Class"
    }
    assert "https://w3id.org/aseankg/ontology#ActionLine" in classes
    page = client.get("/ontology", headers={"accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "ActionLine" in page.text
    assert client.get("/ontology.ttl").headers["content-type"].startswith("text/turtle")


def test_request_paths_map_onto_minted_iris() -> None:
    assert canonical_path(b"/id/plan/p/line/1.5.1") == "plan/p/line/1.5.1"
    for raw in (b"/id/actor/caf%c3%a9", b"/id/actor/caf%C3%A9", "/id/actor/café".encode()):
        assert canonical_path(raw) == "actor/caf%C3%A9"
    assert canonical_path(b"/id/actor/a%2Fb/x") == "actor/a%2Fb/x"
    assert canonical_path(b"/id/actor/a%20b") == "actor/a%20b"


def test_percent_encoded_request_finds_the_resource(client: httpx.Client) -> None:
    response = client.get("/id/actor/%61ichr.ttl")
    assert response.status_code == 200
    assert response.headers["content-location"] == "/id/actor/aichr.ttl"


def test_local_links() -> None:
    assert local_href(BASE + "actor/aichr", BASE) == "/id/actor/aichr"
    assert local_href("https://w3id.org/aseankg/ontology#ActionLine", BASE) == (
        "/ontology#ActionLine"
    )
    assert local_href("http://www.w3.org/ns/org#Organization", BASE) == (
        "http://www.w3.org/ns/org#Organization"
    )


def test_highlight_marks_each_mention_by_its_offsets_nested_ones_inside() -> None:
    raw = "Support <ASEAN> and\nAICHR, ASEAN;"
    marks = [
        Marked(120, 125, "/id/actor/aichr", "A & B"),
        Marked(109, 114, "/id/actor/asean", "ASEAN"),
        Marked(109, 125, "/id/x", "X"),
        Marked(190, 195, "/id/actor/y", "outside"),
    ]
    html = highlight_line(raw, 100, marks)
    assert str(html) == (
        'Support &lt;<mark data-start="109" data-end="125" title="X">'
        '<mark data-start="109" data-end="114" title="ASEAN"><a href="/id/actor/asean">ASEAN</a>'
        '</mark><a href="/id/x">&gt; and </a>'
        '<mark data-start="120" data-end="125" title="A &amp; B">'
        '<a href="/id/actor/aichr">AICHR</a></mark></mark>, ASEAN'
    )


# ------------------------------------------------------------------- dataset description


def test_void_describes_the_dataset_and_its_dumps(client: httpx.Client, server: str) -> None:
    response = client.get("/.well-known/void")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    found = triples(response)
    by_predicate: dict[str, set[str]] = {}
    for t in found:
        by_predicate.setdefault(value(t.predicate), set()).add(value(t.object))
    void = "http://rdfs.org/ns/void#"
    assert f"{server}/sparql" in by_predicate[void + "sparqlEndpoint"]
    assert f"{server}/dumps/aseankg.nq" in by_predicate[void + "dataDump"]
    assert "http://www.w3.org/2004/02/skos/core#" in by_predicate[void + "vocabulary"]
    assert BASE + "plan/asean-canada-2021-2025" in by_predicate[void + "exampleResource"]
    assert (
        "https://creativecommons.org/licenses/by/4.0/"
        in by_predicate["http://purl.org/dc/terms/license"]
    )
    version = client.get("/health").json()["version"]
    assert version in by_predicate["http://www.w3.org/ns/dcat#version"]


def test_dumps_carry_checksums_that_match(client: httpx.Client) -> None:
    index = client.get("/dumps/").json()
    assert {f["name"] for f in index["files"]} == {"aseankg.nq", "aseankg.ttl"}
    for entry in index["files"]:
        body = client.get(f"/dumps/{entry['name']}").content
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert len(body) == entry["bytes"]
        sums = client.get(f"/dumps/{entry['name']}.sha256").text
        assert sums == f"{entry['sha256']}  {entry['name']}\n"
    nquads = client.get("/dumps/aseankg.nq").content
    quads = list(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    graphs = {value(q.graph_name) for q in quads}
    assert BASE + "graph/asean-canada-2021-2025" in graphs
    assert client.get("/dumps/secret.txt").status_code == 404


@pytest.mark.parametrize("format", ["nq", "ttl"])
def test_a_dump_is_the_cli_export_byte_for_byte(
    client: httpx.Client, seed_store: Path, format: str
) -> None:
    """The SHA-256 that VoID publishes verifies against `aseankg export` of the same store."""
    published = client.get(f"/dumps/aseankg.{format}.sha256").text.split()[0]
    body = client.get(f"/dumps/aseankg.{format}").content
    cli = Path(sys.executable).with_name("aseankg")
    done = subprocess.run(
        [str(cli), "export", "--store", str(seed_store), "--format", format],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert done.stdout == body
    assert hashlib.sha256(done.stdout).hexdigest() == published


def test_dumps_are_kept_privately_in_the_build(make_server: StartServer, seed_store: Path) -> None:
    """Without a cache directory the dumps live in the build's own folder (mode 0700),
    not under a predictable name in the shared temporary folder."""
    url = make_server(cache_dir=None)
    with httpx.Client(base_url=url, timeout=60) as own:
        digest = own.get("/dumps/aseankg.nq.sha256").text.split()[0]
    folder = (seed_store / "current").resolve() / "dumps"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert hashlib.sha256((folder / "aseankg.nq").read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in folder.iterdir()) == ["aseankg.nq", "aseankg.nq.sha256"]


# ------------------------------------------------------------------- one label, no technical nodes


def test_a_page_names_each_thing_once_in_the_readers_language(client: httpx.Client) -> None:
    english = client.get("/id/actor/aichr", headers={"accept": BROWSER}).text
    french = client.get("/id/actor/aichr?lang=fr", headers={"accept": BROWSER}).text
    by_header = client.get(
        "/id/actor/aichr", headers={"accept": BROWSER, "accept-language": "fr-CA,fr;q=0.9"}
    ).text
    asean_fr = "Association des nations de l&#39;Asie du Sud-Est"
    part_of = 'Part of: <a href="/id/actor/asean">'
    assert part_of + "ASEAN</a></p>" in english and asean_fr not in english
    assert part_of + asean_fr + "</a></p>" in french and '<html lang="fr">' in french
    assert part_of + asean_fr + "</a></p>" in by_header
    # the type row of the AseanBody class is there once, in the page's language
    assert english.count(">ASEAN body</a>") == 1 and "organe de l" not in english


def test_pages_show_no_technical_nodes(client: httpx.Client) -> None:
    instrument = client.get("/id/instrument/unclos", headers={"accept": BROWSER}).text
    assert "genid" not in instrument and "c14n" not in instrument
    line = client.get(f"/id/{LINE}", headers={"accept": BROWSER}).text
    actor = client.get("/id/actor/aichr", headers={"accept": BROWSER}).text
    for page in (line, actor):
        tables = page[page.index('id="props-h"') :]
        assert "/link/" not in tables and "/id/mention/" not in tables
    # what points at a line, named by its plan; the lines that name a body are listed
    # once, under their edition, not again among what refers to it
    assert (
        '<a href="/id/plan/asean-canada-2021-2025/area/1.5">ASEAN–Canada 2021–2025 · 1.5</a>'
        "</td><td>has_part</td>"
    ) in line
    assert actor.count('href="/id/plan/asean-canada-2021-2025/line/1.5.1"') == 1
