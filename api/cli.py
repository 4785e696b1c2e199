"""The ``aseankg`` command line.

Exit codes: 0 ok, 1 error (one-line message on stderr), 2 usage, 3 data fails validation.
Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import sys

import typer

from aseankg.api.commands import build as build_command
from aseankg.api.commands import check as check_command
from aseankg.api.commands import export as export_command
from aseankg.api.commands import extract as extract_command
from aseankg.api.commands import parse as parse_command
from aseankg.api.commands import query as query_command
from aseankg.api.commands import remove as remove_command
from aseankg.api.commands import serve as serve_command
from aseankg.api.commands.output import closed_stdout_tolerated
from aseankg.extract.errors import ExtractError
from aseankg.graph.errors import GraphError, ValidationError
from aseankg.ontology.errors import InconsistencyError, OntologyError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="aseankg",
    help="The knowledge graph of ASEAN-Canada commitments: parse, extract, build, query, serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (
    parse_command,
    extract_command,
    serve_command,
    build_command,
    remove_command,
    export_command,
    query_command,
    check_command,
):
    _module.register(app)

# The one closed-stdout policy (aseankg.api.commands.output), applied to every command.
for _command in app.registered_commands:
    if _command.callback is not None:
        _command.callback = closed_stdout_tolerated(_command.callback)


def _fail(message: str, code: int) -> int:
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"aseankg: error: {first_line}", file=sys.stderr)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (never raises for bad input)."""
    try:
        result = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return _fail("aborted", 1)
    except typer.TyperException as exc:
        # Usage errors (typer's vendored click) know how to show themselves with the usage line.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"aseankg: error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except (ValidationError, InconsistencyError) as exc:
        if exc.report:
            print(exc.report, file=sys.stderr)
        return _fail(str(exc), 3)
    except (ExtractError, GraphError, OntologyError) as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
