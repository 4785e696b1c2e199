r"""The UI's static files (``api/static/``) as served under ``/static``: content-hashed
names, compressed bodies, long-lived caching (the route: ``aseankg.api.routes.assets``).

Every file of the packaged ``api/static/`` folder answers at two paths:

- its own (``/static/ui/ui.css``), with ``Cache-Control: no-cache`` (the browser keeps it
  and revalidates it by its ``ETag``: a ``304`` when unchanged);
- a name carrying the first 12 hex digits of its SHA-256 (``/static/ui/ui.3f2a9c01de47.css``),
  with ``Cache-Control: public, max-age=31536000, immutable``: the name changes when the
  bytes do, so a browser never asks twice. Pages link this one (:func:`asset_url`, the
  templates' ``asset()``).

A text file (JavaScript, CSS, SVG, JSON ...) is sent brotli-compressed to a client that
accepts ``br`` when a ``.br`` sibling was made at vendor time (``scripts/vendor.sh``: the
big bundles, at brotli's best and slowest quality, too slow to do per process), else
gzip-compressed to one that accepts ``gzip`` (compressed once per process, in memory),
else as it is; with ``Content-Encoding`` and ``Vary: Accept-Encoding``. A test checks that
every ``.br`` sibling decompresses to its file's bytes.

:func:`asset_url` raises ``LookupError`` for a file that is not packaged (a template bug).

>>> import re
>>> bool(re.fullmatch(r"/static/ui/ui\.[0-9a-f]{12}\.css", asset_url("ui/ui.css")))
True
>>> catalogue()["yasgui/yasgui.min.js"].codings()
('br', 'gzip', 'identity')
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["IMMUTABLE", "REVALIDATE", "Asset", "accepted_codings", "asset_url", "catalogue"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_COMPRESSIBLE = frozenset((".js", ".css", ".svg", ".json", ".md", ".html", ".txt", ".map"))
_SIBLINGS = (".br",)
_HASH_DIGITS = 12


@dataclass
class Asset:
    """One static file: its path under ``static/`` (``ui/ui.css``), hashed path, media
    type and bodies by content coding (``identity``, ``br``, ``gzip``)."""

    path: str
    hashed: str
    media_type: str
    digest: str
    bodies: dict[str, bytes]
    compressible: bool
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def body(self, coding: str) -> bytes:
        """The body in ``coding``; gzip is made once from the file when no sibling holds it."""
        if coding == "gzip" and coding not in self.bodies:
            with self._lock:
                if coding not in self.bodies:
                    identity = self.bodies["identity"]
                    self.bodies[coding] = gzip.compress(identity, compresslevel=9, mtime=0)
        return self.bodies[coding]

    def codings(self) -> tuple[str, ...]:
        """The content codings this file can be sent in, best first."""
        if not self.compressible:
            return ("identity",)
        return (*(("br",) if "br" in self.bodies else ()), "gzip", "identity")


def _hashed(path: str, digest: str) -> str:
    """``yasgui/yasgui.min.js`` -> ``yasgui/yasgui.min.<hash>.js`` (before the last suffix)."""
    folder, slash, name = path.rpartition("/")
    stem, dot, last = name.rpartition(".")
    hashed = (
        f"{stem}.{digest[:_HASH_DIGITS]}.{last}"
        if dot and stem
        else f"{name}.{digest[:_HASH_DIGITS]}"
    )
    return folder + slash + hashed


def _walk(folder: Traversable, prefix: str) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in folder.iterdir():
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir():
            found.update(_walk(entry, f"{prefix}{entry.name}/"))
        else:
            found[prefix + entry.name] = entry.read_bytes()
    return found


@functools.cache
def catalogue() -> dict[str, Asset]:
    """Every packaged static file by its path and by its hashed path (read once).

    A ``.br`` sibling is not an asset of its own: it is its file's brotli body.
    """
    files = _walk(resources.files("aseankg.api") / "static", "")
    assets: dict[str, Asset] = {}
    for path, data in sorted(files.items()):
        if path.endswith(_SIBLINGS):
            continue
        digest = hashlib.sha256(data).hexdigest()
        suffix = "." + path.rpartition(".")[2] if "." in path else ""
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if media_type.startswith("text/") or suffix in (".js", ".json", ".svg"):
            media_type = ("text/javascript" if suffix == ".js" else media_type) + "; charset=utf-8"
        bodies = {"identity": data}
        if path + ".br" in files:
            bodies["br"] = files[path + ".br"]
        asset = Asset(
            path, _hashed(path, digest), media_type, digest, bodies, suffix in _COMPRESSIBLE
        )
        assets[path] = asset
        assets[asset.hashed] = asset
    return assets


def asset_url(path: str) -> str:
    """The content-hashed URL path of the static file ``path`` (``ui/ui.css`` ->
    ``/static/ui/ui.<hash>.css``).

    Raises:
        LookupError: no such packaged file.
    """
    asset = catalogue().get(path)
    if asset is None or asset.path != path:
        raise LookupError(f"no static file {path!r}")
    return f"/static/{asset.hashed}"


def accepted_codings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses)."""
    accepted: set[str] = set()
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            if float(quality or "1") > 0:
                accepted.add(token.strip().lower())
        except ValueError:
            continue
    return accepted
