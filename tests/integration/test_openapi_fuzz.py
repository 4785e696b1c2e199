"""The service holds to its own OpenAPI: schemathesis generates requests for every
operation of the OpenAPI the app publishes and sends them to a real server on loopback
(the session's seed server); every answer must be documented (status, content type,
headers), match its response schema, and never be a 5xx; a request valid by the schema
must be accepted, except on ``/sparql``, whose ``query`` is SPARQL (a grammar a JSON
schema cannot say: a generated string is a 400 there, rightly). Bounded: 25 examples per
operation, derandomised, no shrinking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import positive_data_acceptance

from aseankg.api.app import create_app
from aseankg.api.http.settings import Settings


@schemathesis.serializer("application/sparql-query")
def _sparql_query(_: Any, value: Any) -> bytes:
    """A POST body that is the query itself (SPARQL 1.1 Protocol 2.1.3)."""
    return str(value).encode("utf-8")


# the schema the app publishes (it needs no store); requests go to the real server
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(store=Path("unused"))).openapi())


@SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_holds_to_its_schema(case: schemathesis.Case[Any], server: str) -> None:
    grammar = [positive_data_acceptance] if case.path == "/sparql" else []
    # the first /.well-known/void writes the dumps it links to: allow it a minute
    case.call_and_validate(base_url=server, excluded_checks=grammar, timeout=60)
