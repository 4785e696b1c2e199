"""The service holds to its own OpenAPI: schemathesis generates requests for every
operation of the OpenAPI the app publishes and sends them to a real server on loopback
(the session's seed server); every answer must be documented (status, content type,
headers), match its response schema, and never be a 5xx. Bounded: 25 examples per
operation, derandomised, no shrinking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings

from aseankg.api.app import create_app
from aseankg.api.http.settings import Settings

# the schema the app publishes (it needs no store); requests go to the real server
SCHEMA = schemathesis.openapi.from_dict(
    create_app(Settings(store=Path("unused"))).openapi()
).include(path_regex="^/api/")


@SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_holds_to_its_schema(case: schemathesis.Case[Any], server: str) -> None:
    case.call_and_validate(base_url=server)
