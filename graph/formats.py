"""The one registry of formats: what pyoxigraph's ``RdfFormat`` and ``QueryResultsFormat``
know (media type, file suffix, W3C format IRI), plus our short names and aliases as data.

Every format name of the project comes from here: ``export --format``, ``query --format``,
the endpoint's ``format=`` parameter and content negotiation, the linked-data suffixes,
the dumps and the Service Description. A :class:`Format` is a result format
(``kind="solutions"``: SELECT/ASK) or an RDF format (``kind="graph"``: CONSTRUCT/DESCRIBE,
exports); :data:`HTML` is the one page format, known only to content negotiation.

>>> by_name("ttl").media_type
'text/turtle'
>>> find_format("json", SOLUTION_FORMATS).label, find_format("json", GRAPH_FORMATS).label
('SPARQL Results in JSON', 'JSON-LD')
>>> find_format("docx", GRAPH_FORMATS) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "HTML",
    "SOLUTION_FORMATS",
    "Format",
    "FormatKind",
    "by_name",
    "find_format",
]

FormatKind = Literal["solutions", "graph", "page"]


@dataclass(frozen=True)
class Format:
    """A representation. ``name`` is our short name (``format=``, ``--format``);
    ``media_type`` the canonical media type (no parameters), ``aliases`` the other media
    types that select it, ``synonyms`` the other ``format=`` words that name it, ``suffix``
    its file suffix, ``iri`` its W3C format IRI; ``rdf`` / ``results`` the pyoxigraph
    format it serialises with (``None`` for HTML)."""

    name: str
    kind: FormatKind
    media_type: str
    label: str
    suffix: str
    iri: str = ""
    aliases: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None

    def accepts(self, media_type: str) -> bool:
        """Whether the (lower-case, parameterless) ``media_type`` selects this format."""
        return media_type == self.media_type or media_type in self.aliases

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format carries named graphs (N-Quads, TriG, JSON-LD)."""
        return self.rdf is not None and self.rdf.supports_datasets

    @property
    def takes_prefixes(self) -> bool:
        """Whether the serialiser writes prefix declarations (Turtle, TriG, RDF/XML ...)."""
        return self.rdf is not None and self.rdf not in (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS)


_FORMATS_NS = "http://www.w3.org/ns/formats/"


def _media(value: str) -> str:
    return value.partition(";")[0].strip().lower()


def _results(
    name: str,
    results: QueryResultsFormat,
    aliases: tuple[str, ...] = (),
    synonyms: tuple[str, ...] = (),
) -> Format:
    return Format(
        name,
        "solutions",
        _media(results.media_type),
        results.name,
        results.file_extension,
        results.iri,
        aliases,
        synonyms,
        results=results,
    )


def _rdf(
    name: str,
    rdf: RdfFormat,
    aliases: tuple[str, ...] = (),
    synonyms: tuple[str, ...] = (),
    *,
    iri: str = "",
) -> Format:
    return Format(
        name,
        "graph",
        _media(rdf.media_type),
        rdf.name,
        rdf.file_extension,
        iri or rdf.iri,
        aliases,
        synonyms,
        rdf=rdf,
    )


# Order matters: the first offer is the default of content negotiation.
SOLUTION_FORMATS: tuple[Format, ...] = (
    _results("json", QueryResultsFormat.JSON, ("application/json",)),
    _results("xml", QueryResultsFormat.XML, ("application/xml", "text/xml")),
    _results("csv", QueryResultsFormat.CSV),
    _results("tsv", QueryResultsFormat.TSV),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    _rdf("ttl", RdfFormat.TURTLE, ("application/x-turtle", "application/turtle"), ("turtle", "n3")),
    _rdf("nt", RdfFormat.N_TRIPLES, ("text/plain",), ("ntriples", "n-triples")),
    _rdf("nq", RdfFormat.N_QUADS, ("text/x-nquads",), ("nquads", "n-quads")),
    _rdf("trig", RdfFormat.TRIG),
    # pyoxigraph names JSON-LD .../formats/data/JSON-LD; the W3C registry says .../JSON-LD
    _rdf(
        "jsonld",
        RdfFormat.JSON_LD,
        ("application/json", "application/x-json+ld"),
        ("json-ld", "json"),
        iri=_FORMATS_NS + "JSON-LD",
    ),
    _rdf("rdfxml", RdfFormat.RDF_XML, ("application/xml", "text/xml"), ("rdf+xml", "xml")),
)
HTML = Format("html", "page", "text/html", "HTML", "html", aliases=("application/xhtml+xml",))
FORMATS: tuple[Format, ...] = (*SOLUTION_FORMATS, *GRAPH_FORMATS)
_BY_NAME = {fmt.name: fmt for fmt in (*FORMATS, HTML)}


def by_name(name: str) -> Format:
    """The format whose short name is ``name``.

    Raises:
        KeyError: no format has that short name (a bug: names come from this registry).
    """
    return _BY_NAME[name]


def find_format(value: str, offers: Sequence[Format] = FORMATS) -> Format | None:
    """The offer named by a ``format=`` value: a short name, a suffix, a media type, or a
    synonym; ``None`` when none of ``offers`` has that name.

    Exact names win over synonyms (``json`` is SPARQL JSON among solution formats and
    JSON-LD among graph formats).
    """
    wanted = value.strip().lower()
    for offer in offers:
        if wanted in (offer.name, offer.suffix) or offer.accepts(wanted):
            return offer
    for offer in offers:
        if wanted in offer.synonyms:
            return offer
    return None
