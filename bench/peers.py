"""The peer engines' own virtual environment: ``bench/.work/peers-venv``.

rdflib-endpoint (with its CLI), the Oxigraph server (PyPI ``oxigraph``, a Rust binary)
and the profilers live there, out of the project's dependencies, because they pin their
own versions of rdflib, FastAPI and uvicorn. Created on first use with the ordinary pip
client; later runs only check it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PEER_REQUIREMENTS", "Peers", "ensure_peers", "package_versions"]

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".work" / "peers-venv"
PEER_REQUIREMENTS = (
    "rdflib-endpoint[cli]>=0.6,<0.7",
    "oxigraph>=0.5,<0.6",
    "py-spy>=0.4,<0.5",
)
_REPORTED = ("rdflib-endpoint", "rdflib", "oxigraph", "py-spy", "fastapi", "uvicorn")


class PeerSetupError(RuntimeError):
    """The peers' environment could not be created or is incomplete."""


@dataclass(frozen=True)
class Peers:
    """Paths of the peer tools and the versions installed."""

    venv: Path
    versions: dict[str, str]

    @property
    def rdflib_endpoint(self) -> Path:
        return self.venv / "bin" / "rdflib-endpoint"

    @property
    def oxigraph(self) -> Path:
        return self.venv / "bin" / "oxigraph"

    @property
    def py_spy(self) -> Path:
        return self.venv / "bin" / "py-spy"


def package_versions(python: Path, names: tuple[str, ...]) -> dict[str, str]:
    """The installed versions of ``names`` in the environment of ``python`` (absent ones
    are left out). Raises ``PeerSetupError`` when that interpreter does not run."""
    script = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\nfor n in sys.argv[1:]:\n"
        "    try: out[n] = version(n)\n    except PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run(
        [str(python), "-c", script, *names], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise PeerSetupError(f"{python} does not run: {done.stderr.strip()[-300:]}")
    versions: dict[str, str] = json.loads(done.stdout)
    return versions


def _complete(venv: Path) -> bool:
    return all((venv / "bin" / tool).exists() for tool in ("rdflib-endpoint", "oxigraph", "py-spy"))


def ensure_peers(venv: Path = VENV, *, log: Path | None = None) -> Peers:
    """Create (or reuse) the peers' environment and return its tools and versions.

    Raises ``PeerSetupError`` when the venv or the pip install fails.
    """
    python = venv / "bin" / "python"
    if not _complete(venv):
        print(f"bench: installing the peer engines into {venv} ...", file=sys.stderr)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"],
            [str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if log is not None:
                with log.open("a", encoding="utf-8") as out:
                    out.write(done.stdout + done.stderr)
            if done.returncode != 0:
                tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
                raise PeerSetupError(f"{' '.join(step[:4])} failed: {tail[0]}")
        if not _complete(venv):
            raise PeerSetupError(f"the peer tools are missing from {venv} after install")
    return Peers(venv, package_versions(python, _REPORTED))
