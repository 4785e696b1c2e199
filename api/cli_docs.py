"""Render the command line's ``--help`` pages as Markdown (docs/cli.md is generated from this).

>>> "aseankg parse" in render_cli_markdown()
True
"""

from __future__ import annotations

import os

from typer.testing import CliRunner

from aseankg.api.cli import app

__all__ = ["INTRO", "WIDTH", "command_names", "render_cli_markdown", "render_help"]

WIDTH = 100

INTRO = """# Command line

`aseankg` is installed into `.venv/bin/` by `make serve` or `make test`
(`pip install -e .`). Data goes to stdout, messages to stderr. Exit codes: 0 ok,
1 error with a one-line message, 2 usage, 3 data that fails validation.

This page is generated from the commands' own `--help` (`make docs`); a test fails
when it drifts from the code.
"""


def command_names() -> list[str]:
    """The names of every registered command, in registration order."""
    return [str(info.name) for info in app.registered_commands if info.name]


def render_help(*args: str) -> str:
    """The ``--help`` output of ``aseankg *args`` at a fixed width, without colour."""
    env = {"COLUMNS": str(WIDTH), "TERM": "dumb", "NO_COLOR": "1", "TERMINAL_WIDTH": str(WIDTH)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = CliRunner().invoke(app, [*args, "--help"], env=env, color=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n") + "\n"


def render_cli_markdown() -> str:
    """docs/cli.md: the intro, then one section per command with its help page."""
    parts = [INTRO, "## aseankg\n", "```text\n" + render_help() + "```\n"]
    for name in command_names():
        parts.append(f"## aseankg {name}\n")
        parts.append("```text\n" + render_help(name) + "```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_cli_markdown(), end="")
