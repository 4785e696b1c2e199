"""Virtuoso's native bulk loader as the opt-in fast path of an engine build's load.

When ``ASEANKG_STORE_ISQL=host:port`` (the engine's ISQL port) and
``ASEANKG_STORE_LOAD_DIR`` (a folder this program writes and the engine reads: it must be
in the engine's ``DirsAllowed``) are both set, a Virtuoso build's N-Quads files are not
posted over the Graph Store Protocol: each is written again into a folder of its own
under the load folder with the build's private graph names, registered with ``ld_add``,
loaded by ``rdf_loader_run()`` and made durable by ``checkpoint``; ``DB.DBA.load_list``
is then read for ``ll_error``. Everything else of the build (the record, the checks, the
cross-plan step, blue/green) is the same code as without it.

The SQL runs through Debian's ``isql-vt`` (or ``isql``); the account is
``ASEANKG_STORE_USER``, and its password goes on the program's standard input (ISQL reads
it from there when the command line has none), never on a command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aseankg.graph.errors import StoreError

__all__ = ["ENV_ISQL", "ENV_LOAD_DIR", "BulkLoader"]

ENV_ISQL = "ASEANKG_STORE_ISQL"
ENV_LOAD_DIR = "ASEANKG_STORE_LOAD_DIR"
_TIMEOUT = 3600.0  # seconds for one load (rdf_loader_run of a build's files)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class BulkLoader:
    """Where and how to bulk-load: the ISQL ``address`` (host:port), the ``folder`` the
    engine reads, the account (``user``, ``password``) and the ``isql`` program."""

    address: str
    folder: Path
    user: str
    password: str
    isql: str

    @classmethod
    def from_environment(cls) -> BulkLoader | None:
        """The loader the environment configures, or None when ``ASEANKG_STORE_ISQL`` is
        unset (the Graph Store Protocol then loads).

        Raises:
            StoreError: only one of the two variables is set, the address is not
                host:port, the folder is not a writable folder, the credentials are
                missing, or no ISQL program is installed.
        """
        address = os.environ.get(ENV_ISQL, "").strip()
        folder_text = os.environ.get(ENV_LOAD_DIR, "").strip()
        if not address and not folder_text:
            return None
        if not address or not folder_text:
            raise StoreError(
                f"the Virtuoso bulk loader needs both {ENV_ISQL}=host:port and {ENV_LOAD_DIR}"
                " (a folder in the engine's DirsAllowed)"
            )
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise StoreError(f"{ENV_ISQL} is the engine's ISQL address, host:port: {address!r}")
        folder = Path(folder_text).absolute()
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise StoreError(f"{ENV_LOAD_DIR} is not a folder this program can write: {folder}")
        user = os.environ.get("ASEANKG_STORE_USER")
        password = os.environ.get("ASEANKG_STORE_PASSWORD")
        if not user or password is None:
            raise StoreError(
                "the Virtuoso bulk loader needs ASEANKG_STORE_USER and ASEANKG_STORE_PASSWORD"
            )
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise StoreError("the Virtuoso bulk loader needs isql-vt (virtuoso-opensource)")
        return cls(address, folder, user, password, isql)

    def _run(self, sql: str) -> str:
        """Run ``sql`` (statements ending in ``;``) and return ISQL's output.

        Raises ``StoreError`` when ISQL cannot connect, a statement fails or it hangs."""
        script = f"{self.password}\nSET ERRORS=STDOUT;\n{sql}\nSELECT 'ASEANKG-DONE';\nEXIT;\n"
        try:
            done = subprocess.run(
                [self.isql, self.address, self.user],
                input=script.encode("utf-8"),
                capture_output=True,
                timeout=_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"the Virtuoso bulk loader could not run isql: {exc}") from exc
        # ISQL first tries an empty password (a "Bad login" on stderr), then reads it from
        # stdin; statements' errors go to stdout (SET ERRORS), so a run is good when stdout
        # has no error and reaches the last statement
        output = done.stdout.decode("utf-8", "replace")
        errors = [line.strip() for line in output.splitlines() if "*** Error" in line]
        if errors or "ASEANKG-DONE" not in output:
            stderr = done.stderr.decode("utf-8", "replace")
            lines = errors or [line.strip() for line in stderr.splitlines() if "*** Error" in line]
            detail = (lines or [line for line in stderr.splitlines() if line.strip()] or ["?"])[-1]
            if self.password:
                detail = detail.replace(self.password, "…")
            raise StoreError(f"the Virtuoso bulk loader failed at {self.address}: {detail}")
        return output

    def load(self, build: str, files: Sequence[Path], private: Callable[[str], str]) -> None:
        """Load the N-Quads ``files`` into the engine, each graph under its private name
        (``private`` maps a public graph name and records it as loading).

        Raises:
            StoreError: a file cannot be read or parsed, a quad is in no named graph,
                ISQL fails, or the engine reports a load error (a folder outside its
                ``DirsAllowed``, a file it cannot parse).
        """
        spool = self.folder / f"aseankg-{build}"
        try:
            spool.mkdir(parents=True, exist_ok=True)
            written = []
            for index, path in enumerate(files):
                target = spool / f"{index:05d}.nq"
                try:
                    quads = ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)
                    renamed = (self._renamed(quad, private) for quad in quads)
                    ox.serialize(renamed, output=str(target), format=ox.RdfFormat.N_QUADS)
                except (OSError, SyntaxError) as exc:
                    raise StoreError(f"cannot load {path.name} into Virtuoso: {exc}") from exc
                written.append(target)
            if not written:
                return
            pattern = _sql_string(f"{spool}/%")
            adds = "\n".join(
                f"ld_add({_sql_string(str(f))}, 'urn:x-aseankg:none');" for f in written
            )
            self._run(f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {pattern};\n{adds}")
            output = self._run(
                "rdf_loader_run();\ncheckpoint;\n"
                "SELECT 'LOADERROR', ll_file, ll_error FROM DB.DBA.load_list "
                f"WHERE ll_file LIKE {pattern} AND (ll_error IS NOT NULL OR ll_state <> 2);\n"
                f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {pattern};"
            )
            failed = [line.strip() for line in output.splitlines() if "LOADERROR" in line]
            if failed:
                detail = " ".join(failed[0].split()[1:])
                raise StoreError(f"the Virtuoso bulk loader failed: {detail}")
        finally:
            shutil.rmtree(spool, ignore_errors=True)

    @staticmethod
    def _renamed(quad: ox.Quad, private: Callable[[str], str]) -> ox.Quad:
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            raise StoreError("a quad outside a named graph")
        return ox.Quad(
            quad.subject, quad.predicate, quad.object, ox.NamedNode(private(graph.value))
        )
