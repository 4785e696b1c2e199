"""Self-description: the SPARQL Service Description, VoID + DCAT, and the dumps.

``GET /sparql`` without a query answers the Service Description (Turtle unless another
RDF type is asked; a browser preferring HTML gets the query page). ``/.well-known/void``
describes the dataset: counts, vocabularies, example resources, licence, version, dumps.
``/dumps/`` lists the dumps with their SHA-256; ``/dumps/aseankg.nq`` (the whole dataset)
and ``/dumps/aseankg.ttl`` (the union graph) are ``aseankg export --format nq|ttl`` of
the same store, byte for byte (so the published checksum verifies against a local
export), written once per build by a query worker into the build's own directory
(``<store>/builds/<id>/dumps/``, or ``--cache-dir``), and ``/dumps/<file>.sha256`` gives
each checksum.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from aseankg.api.http.conditional import not_modified, validators
from aseankg.api.http.errors import NotAcceptable, NotFound
from aseankg.api.http.executor import DumpJob
from aseankg.api.http.negotiation import content_type, negotiate
from aseankg.api.http.openapi import problem_responses, representations
from aseankg.api.http.problems import problem_for
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.api.routes.ui import render_query_page
from aseankg.graph.errors import StoreError
from aseankg.graph.formats import FORMATS, GRAPH_FORMATS, HTML, by_name
from aseankg.graph.serialize import write_atomically
from aseankg.graph.store import Build
from aseankg.queries.loader import load_query

__all__ = [
    "DCAT",
    "DUMPS",
    "RDF_TYPE",
    "SD",
    "SPDX",
    "VOID",
    "DatasetStats",
    "dataset_stats",
    "ensure_dump",
    "router",
    "service_description",
]

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcat": DCAT,
    "dct": _DCT,
    "spdx": SPDX,
    "formats": "http://www.w3.org/ns/formats/",
}
DUMPS = {"aseankg.nq": "nq", "aseankg.ttl": "ttl"}


@dataclass(frozen=True)
class DatasetStats:
    """Counts of one dataset version, for the Service Description and VoID."""

    version: str
    graphs: tuple[tuple[str, int], ...]
    triples: int
    subjects: int
    properties: int
    objects: int
    classes: int
    vocabularies: tuple[str, ...]
    examples: tuple[str, ...]


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


async def dataset_stats(runtime: Runtime) -> DatasetStats:
    """The counts of the dataset being served, from queries answered through the result
    cache (so computed once per version while the cache is on). Raises as the executor."""
    version = runtime.version()

    async def select(name: str) -> list[dict[str, str]]:
        return await runtime.select(load_query(f"service/{name}").text)

    graphs = tuple((row["g"], int(row["n"])) for row in await select("graphs"))
    counts = (await select("counts"))[0]
    terms = await select("vocabularies")
    vocabularies = sorted({_namespace(row["term"]) for row in terms} - {""})
    stats = DatasetStats(
        version=version,
        graphs=graphs,
        triples=int(counts["triples"]),
        subjects=int(counts["subjects"]),
        properties=int(counts["properties"]),
        objects=int(counts["objects"]),
        classes=int((await select("classes"))[0]["n"]),
        vocabularies=tuple(v for v in vocabularies if not v.startswith(runtime.settings.base)),
        examples=tuple(row["s"] for row in await select("examples")),
    )
    return stats


class _Triples:
    """A small triple builder: IRIs as strings, literals as ints or ``Literal``."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s: str, p: str, o: str | int | ox.Literal) -> None:
        if isinstance(o, int):
            obj: ox.NamedNode | ox.Literal = ox.Literal(
                str(o), datatype=ox.NamedNode(_XSD + "integer")
            )
        elif isinstance(o, str):
            obj = ox.NamedNode(o)
        else:
            obj = o
        self.triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))


def _render(graph: _Triples, request: Request, extra: dict[str, str] | None = None) -> Response:
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
    if fmt is None:
        raise NotAcceptable(
            "this resource is available as " + ", ".join(f.media_type for f in GRAPH_FORMATS)
        )
    prefixes = {**_PREFIXES, **(extra or {})} if fmt.takes_prefixes else None
    body = ox.serialize(graph.triples, format=fmt.rdf, prefixes=prefixes) or b""
    return Response(body, media_type=content_type(fmt), headers={"Vary": "Accept"})


def _service_graph(endpoint: str, stats: DatasetStats, federated: bool) -> _Triples:
    g = _Triples()
    dataset, default = endpoint + "#dataset", endpoint + "#default-graph"
    g.add(endpoint, RDF_TYPE, SD + "Service")
    g.add(endpoint, SD + "endpoint", endpoint)
    g.add(endpoint, SD + "supportedLanguage", SD + "SPARQL11Query")
    for fmt in FORMATS:
        g.add(endpoint, SD + "resultFormat", fmt.iri)
    g.add(endpoint, SD + "feature", SD + "UnionDefaultGraph")
    if federated:
        g.add(endpoint, SD + "feature", SD + "BasicFederatedQuery")
    g.add(endpoint, SD + "defaultDataset", dataset)
    g.add(dataset, RDF_TYPE, SD + "Dataset")
    g.add(
        dataset,
        _DCT + "description",
        ox.Literal(
            "The default graph is the union of all named graphs, unless the request names "
            "its dataset (default-graph-uri / named-graph-uri) or the query has FROM clauses."
        ),
    )
    g.add(dataset, SD + "defaultGraph", default)
    g.add(default, RDF_TYPE, SD + "Graph")
    g.add(default, VOID + "triples", stats.triples)
    for index, (name, count) in enumerate(stats.graphs):
        named, graph = f"{endpoint}#named-graph-{index}", f"{endpoint}#graph-{index}"
        g.add(dataset, SD + "namedGraph", named)
        g.add(named, RDF_TYPE, SD + "NamedGraph")
        g.add(named, SD + "name", name)
        g.add(named, SD + "graph", graph)
        g.add(graph, RDF_TYPE, SD + "Graph")
        g.add(graph, VOID + "triples", count)
    return g


async def service_description(request: Request) -> Response:
    """The Service Description, or the query page for a browser (module docstring)."""
    runtime = runtime_of(request)
    if negotiate(request.headers.get("accept"), (*GRAPH_FORMATS, HTML)) == HTML:
        return render_query_page(request)
    stats = await dataset_stats(runtime)
    endpoint = runtime.public_root(request) + "/sparql"
    graph = _service_graph(endpoint, stats, bool(runtime.settings.service_allowlist))
    return _render(graph, request)


def _void_graph(root: str, stats: DatasetStats, runtime: Runtime, sums: dict[str, str]) -> _Triples:
    g = _Triples()
    ds = root + "/.well-known/void#dataset"
    for cls in (VOID + "Dataset", DCAT + "Dataset"):
        g.add(ds, RDF_TYPE, cls)
    g.add(
        ds,
        _DCT + "title",
        ox.Literal("aseankg: the knowledge graph of ASEAN-Canada commitments", language="en"),
    )
    g.add(ds, _DCT + "license", runtime.settings.licence)
    g.add(ds, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(stats.version))
    g.add(ds, DCAT + "version", ox.Literal(stats.version))
    built = runtime.manifest().built
    if built:
        g.add(ds, _DCT + "modified", ox.Literal(built, datatype=ox.NamedNode(_XSD + "dateTime")))
    g.add(ds, VOID + "sparqlEndpoint", root + "/sparql")
    g.add(ds, VOID + "uriSpace", ox.Literal(runtime.settings.base))
    for name, value in (
        ("triples", stats.triples),
        ("distinctSubjects", stats.subjects),
        ("properties", stats.properties),
        ("distinctObjects", stats.objects),
        ("classes", stats.classes),
    ):
        g.add(ds, VOID + name, value)
    for vocabulary in stats.vocabularies:
        g.add(ds, VOID + "vocabulary", vocabulary)
    for example in stats.examples:
        g.add(ds, VOID + "exampleResource", example)
    for index, (name, count) in enumerate(stats.graphs):
        subset = f"{root}/.well-known/void#graph-{index}"
        g.add(ds, VOID + "subset", subset)
        g.add(subset, RDF_TYPE, VOID + "Dataset")
        g.add(subset, "http://www.w3.org/ns/sparql-service-description#name", name)
        g.add(subset, VOID + "triples", count)
    for file, fmt in DUMPS.items():
        url = f"{root}/dumps/{file}"
        g.add(ds, VOID + "dataDump", url)
        g.add(ds, DCAT + "distribution", url)
        g.add(url, RDF_TYPE, DCAT + "Distribution")
        g.add(url, DCAT + "downloadURL", url)
        g.add(url, DCAT + "mediaType", ox.Literal(by_name(fmt).media_type))
        if file in sums:
            g.add(url, SPDX + "checksum", url + "#sha256")
            g.add(url + "#sha256", SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
            g.add(url + "#sha256", SPDX + "checksumValue", ox.Literal(sums[file]))
    return g


def _dump_dir(runtime: Runtime, build: Build) -> Path:
    """Where the dumps of ``build`` live: ``<build>/dumps/`` inside the store (private to
    the store's owner, removed with the build), or ``<cache_dir>/<version>/`` when the
    service was given a cache directory, or a private temporary folder of this machine for
    a build on a SPARQL engine; created with mode 0700."""
    if runtime.settings.cache_dir is not None:
        folder = runtime.settings.cache_dir / build.manifest.version
    elif build.path is None:  # a build on an engine: a private folder of this machine
        folder = Path(tempfile.gettempdir()) / f"aseankg-dumps-{os.getuid()}" / build.id
    else:
        folder = build.path / "dumps"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise problem_for(StoreError(f"cannot create the dump folder: {exc}")) from exc
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


async def ensure_dump(runtime: Runtime, file: str) -> tuple[Path, str]:
    """The dump file ``file`` of the build being served and its SHA-256, written if
    missing: the bytes of ``aseankg export --format nq|ttl`` of the same store.

    Raises ``NotFound`` for an unknown file name, or as the executor.
    """
    if file not in DUMPS:
        raise NotFound(f"no dump named {file!r}; see /dumps/")
    build = runtime.build()
    path = _dump_dir(runtime, build) / file
    digest_path = path.with_name(path.name + ".sha256")
    if digest_path.exists() and path.exists():
        return path, digest_path.read_text("ascii")
    if path.exists():
        digest = await asyncio.to_thread(_sha256, path)
    else:
        job = DumpJob(str(path), DUMPS[file], build.key)
        result = await runtime.executor.run(job, timeout=max(60.0, runtime.executor.timeout * 6))
        digest = result.body.decode("ascii")
    encoded = digest.encode("ascii")
    await asyncio.to_thread(write_atomically, digest_path, lambda out: out.write(encoded))
    return path, digest


router = APIRouter(tags=["dataset"])


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset",
    responses={
        **representations(
            dict.fromkeys(f.media_type for f in GRAPH_FORMATS), "The description in RDF"
        ),
        **problem_responses(406, 503),
    },
)
async def void(request: Request) -> Response:
    """The dataset description, with dump links and checksums, in the negotiated RDF format."""
    runtime = runtime_of(request)
    stats = await dataset_stats(runtime)
    sums = {file: (await ensure_dump(runtime, file))[1] for file in DUMPS}
    return _render(_void_graph(runtime.public_root(request), stats, runtime, sums), request)


@router.get(
    "/dumps/",
    summary="The dumps of the dataset with their SHA-256",
    responses=problem_responses(503),
)
async def dumps(request: Request) -> JSONResponse:
    """JSON index of the dumps: name, URL, media type, size and SHA-256."""
    runtime = runtime_of(request)
    root = runtime.public_root(request)
    files = []
    for file, fmt in DUMPS.items():
        path, digest = await ensure_dump(runtime, file)
        files.append(
            {
                "name": file,
                "url": f"{root}/dumps/{file}",
                "media_type": by_name(fmt).media_type,
                "bytes": path.stat().st_size,
                "sha256": digest,
            }
        )
    return JSONResponse({"version": runtime.version(), "files": files})


@router.get(
    "/dumps/{file}",
    summary="One dump file, or its checksum (`.sha256`)",
    responses={
        **representations(
            [*dict.fromkeys(by_name(fmt).media_type for fmt in DUMPS.values()), "text/plain"],
            "The dump, or its checksum in sha256sum format",
        ),
        **problem_responses(404, 503),
    },
)
async def dump_file(file: str, request: Request) -> Response:
    """The dump (N-Quads or Turtle), or ``<file>.sha256`` in ``sha256sum`` format."""
    runtime = runtime_of(request)
    if file.endswith(".sha256"):
        _, digest = await ensure_dump(runtime, file.removesuffix(".sha256"))
        return PlainTextResponse(f"{digest}  {file.removesuffix('.sha256')}\n")
    build = runtime.build()
    path, digest = await ensure_dump(runtime, file)  # written once per build, then cheap
    headers = {**validators(build, f'"{digest}"'), "Cache-Control": "public, max-age=3600"}
    if not_modified(request, headers["ETag"], build):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=content_type(by_name(DUMPS[file])), headers=headers)
