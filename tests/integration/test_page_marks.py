"""Every action line page of the seed marks its mentions by their offsets: one ``<mark>``
per mention of the mentions CSV (nested ones included), ``data-start``/``data-end`` equal
to the CSV's ``start``/``end``, its text the mention's surface (whitespace collapsed)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import httpx

from tests.integration.conftest import PLAN

CLI = Path(sys.executable).with_name("aseankg")


class _Marks(HTMLParser):
    """The ``<mark>`` elements of a page: (start, end, text), nested ones too."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            values = dict(attrs)
            self.open.append([values.get("data-start") or "-1", values.get("data-end") or "-1", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.open:
            start, end, text = self.open.pop()
            self.found.append((int(start), int(end), text))
            if self.open:
                self.open[-1][2] += text

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1][2] += data


def _marks(page: str) -> list[tuple[int, int, str]]:
    parser = _Marks()
    parser.feed(page.split('<blockquote class="line-text">', 1)[1].split("</blockquote>", 1)[0])
    return parser.found


def test_every_seed_line_marks_every_mention_at_its_offsets(
    client: httpx.Client, seed_store: Path
) -> None:
    exported = subprocess.run(
        [str(CLI), "export", "--store", str(seed_store), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    expected: dict[str, set[tuple[int, int, str]]] = {}
    for row in csv.DictReader(io.StringIO(exported)):
        if row["plan"] == PLAN and row["action_line"]:
            span = (int(row["start"]), int(row["end"]), " ".join(row["surface"].split()))
            expected.setdefault(row["action_line"], set()).add(span)
    notations = sorted(expected)
    assert len(notations) > 60 and sum(len(v) for v in expected.values()) >= 145

    def page(notation: str) -> str:
        response = client.get(f"/id/plan/{PLAN}/line/{notation}", headers={"accept": "text/html"})
        assert response.status_code == 200, notation
        return response.text

    with ThreadPoolExecutor(3) as pool:  # the test server's three query workers
        pages = dict(zip(notations, pool.map(page, notations), strict=True))
    wrong = [
        (notation, sorted(expected[notation] ^ set(_marks(pages[notation]))))
        for notation in notations
        if sorted(_marks(pages[notation])) != sorted(expected[notation])
    ]
    assert wrong == []
