"""The problems a route can answer, for its OpenAPI entry.

Every error of the service is one problem+json body (RFC 9457, :mod:`.errors`); a route
declares which statuses it can answer with ``responses=problem_responses(400, 404)`` so that its
OpenAPI entry documents them with the one schema (and API fuzzers such as schemathesis
can hold the service to it). FastAPI's default 422 is replaced: a request that fails
validation is a 400 here.

>>> sorted(problem_responses(404, 409))
[404, 409]
>>> problem_responses(404)[404]["content"]["application/problem+json"]["schema"]["required"]
['type', 'title', 'status', 'detail']
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from aseankg.api.http.errors import PROBLEM_MEDIA_TYPE

__all__ = [
    "PROBLEM_SCHEMA",
    "SPARQL_PARAMETERS",
    "SPARQL_REQUEST_BODY",
    "install_openapi",
    "problem_responses",
    "representations",
]

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An error (RFC 9457 problem details); `type` names the kind of error.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of the problem statuses a route answers."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }


def representations(
    media_types: Iterable[str], description: str
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of a 200 offered in several media types (content
    negotiation: RDF, SPARQL results, HTML), each without a JSON schema."""
    return {200: {"description": description, "content": {mt: {} for mt in media_types}}}


_SPARQL_FIELDS: dict[str, Any] = {
    "query": {"type": "string", "description": "A SPARQL 1.1 query"},
    "default-graph-uri": {
        "type": "array",
        "items": {"type": "string"},
        "description": "IRIs of the graphs whose union is the default graph",
    },
    "named-graph-uri": {
        "type": "array",
        "items": {"type": "string"},
        "description": "IRIs of the graphs the query may name in GRAPH",
    },
    "format": {"type": "string", "description": "A result format (json, xml, csv, tsv, ttl …)"},
    "truncate": {
        "type": "string",
        "enum": ["true", "false", "1", "0", "yes", "no"],
        "description": "Cut a result over the byte budget instead of refusing it",
    },
}

SPARQL_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        **({"style": "form", "explode": True} if schema["type"] == "array" else {}),
    }
    for name, schema in _SPARQL_FIELDS.items()
]
"""The SPARQL 1.1 Protocol's query parameters (without ``query``: the service description)."""

SPARQL_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": _SPARQL_FIELDS, "required": ["query"]}
        },
        "application/sparql-query": {"schema": {"type": "string"}},
    },
}
"""A POST's body: a form with ``query``, or the query itself (SPARQL 1.1 Protocol 2.1)."""


def _without_422(schema: dict[str, Any]) -> dict[str, Any]:
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            if responses.pop("422", None) is not None:
                responses.setdefault("400", problem_responses(400)[400])
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve ``app``'s OpenAPI with 400 problems where FastAPI would document a 422."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                servers=app.servers,  # a path-prefix deployment's (api.http.prefix)
            )
            app.openapi_schema = _without_422(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
