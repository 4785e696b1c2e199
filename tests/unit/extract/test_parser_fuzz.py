"""Parser fuzzing: mutated plans through the readers and the parser never give a traceback.

Each example takes a plan of the genre (the hand-written test plans of every layout, in
.txt, .docx and .pdf), mutates it the way real files go wrong — lines cut or dropped,
numbers duplicated or skipped, conversion debris and control characters inserted, NULs,
very long lines, another encoding, lone surrogates where the encoding lets them through,
bytes flipped or cut in a Word or PDF file — writes it to disk and reads it with the
public entry point, :func:`aseankg.extract.parser.parse_plan`. The outcome is either a
plan (whose offsets stay inside its text, and whose JSON serialises) or an
:class:`~aseankg.extract.errors.ExtractError` whose message is one line naming the
file. Anything else fails the test with the example that caused it.

Bounded for CI: derandomized, a fixed number of examples per test, no deadline (a slow
machine must not turn into a flaky test; timings belong in bench/).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from aseankg.extract.errors import ExtractError
from aseankg.extract.parser import parse_plan, plan_to_json
from aseankg.extract.records import ActionLine, Area, Plan, Section, TextSpan

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
TEXTS = sorted(PLANS.glob("*.txt"))
BINARIES = sorted(PLANS.glob("*.docx")) + sorted(PLANS.glob("*.pdf"))
_NUMBER = re.compile(r"^(\s*)(\d+(?:\.\d+)*)")

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text that real conversions leave in plans, and text no plan should hold.
DEBRIS = st.sampled_from(
    [
        "[bookmark: _Toc118723531]",
        "\x00",
        "\x00" * 17,
        "\x07\x08\x1b[0m",
        "\x0c",
        "\u00ad",
        "\ufeff",
        "\ufffd\ufffd",
        "\u200b\u200e\u202e",
        "\r",
        "\r\n\r\n",
        "\t\t",
        "(a)",
        "(z) (a) (iv)",
        "1.1.1.",
        "9.9.9.9.9.",
        "Page 3 of 9",
        "•",
        "I.",
        "…",
        "é" * 3,
    ]
)
JUNK = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]


class Sample(bytes):
    """The bytes of one example, shown short in a failure report (they can be 1 MB)."""

    def __repr__(self) -> str:
        digest = hashlib.sha256(self).hexdigest()[:12]
        return f"Sample({len(self)} bytes, sha256 {digest}…, {bytes(self[:48])!r}…)"


def _renumber(line: str, delta: int) -> str:
    match = _NUMBER.match(line)
    if match is None:
        return line
    parts = match.group(2).split(".")
    parts[-1] = str(max(0, int(parts[-1]) + delta))
    return match.group(1) + ".".join(parts) + line[match.end() :]


@st.composite
def mutated_lines(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """``lines`` after a few mutations of the kinds real files show."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines.append(draw(JUNK))
            continue
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        kind = draw(
            st.sampled_from(
                [
                    "drop",
                    "cut",
                    "duplicate",
                    "skip-number",
                    "repeat-number",
                    "debris",
                    "junk",
                    "long",
                    "join",
                    "blank",
                ]
            )
        )
        if kind == "drop":
            del lines[index]
        elif kind == "cut":
            lines[index] = line[: draw(st.integers(0, len(line)))]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "skip-number":
            lines[index] = _renumber(line, draw(st.integers(1, 3)))
        elif kind == "repeat-number":
            lines[index] = _renumber(line, -1)
        elif kind == "debris":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(DEBRIS) + line[at:]
        elif kind == "junk":
            lines.insert(index, draw(JUNK))
        elif kind == "long":
            size = draw(st.sampled_from([5_000, 50_000, 200_000]))
            lines[index] = (
                line + " " + draw(st.sampled_from(["word ", "a.", "(a) ", "1."])) * (size // 5)
            )
        elif kind == "join" and index + 1 < len(lines):
            lines[index : index + 2] = [line + " " + lines[index + 1]]
        elif kind == "blank":
            lines.insert(index, draw(st.sampled_from(["", " ", "\t", "\u00a0"])))
    return lines


@st.composite
def mutated_text_file(draw: st.DrawFn) -> Sample:
    """The bytes of a mutated .txt plan in some encoding, or broken on purpose."""
    source = draw(st.sampled_from(TEXTS))
    lines = draw(mutated_lines(source.read_text("utf-8").split("\n")))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    if draw(st.booleans()) and encoding.startswith("utf"):
        # a lone surrogate, which only "surrogatepass" lets into UTF-8/16/32 bytes
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\ud800", "\udfff", "\udc80"])) + text[at:]
        data = text.encode(encoding, "surrogatepass")
    else:
        data = text.encode(encoding, "replace")
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut inside a character, maybe
    return Sample(data)


@st.composite
def mutated_binary_file(draw: st.DrawFn) -> tuple[str, Sample]:
    """A .docx or .pdf plan with bytes flipped, inserted or cut, or named as the other."""
    source = draw(st.sampled_from(BINARIES))
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(0, 3))):  # 0: only, perhaps, misnamed
        kind = draw(st.sampled_from(["flip", "insert", "cut", "zero"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "cut":
            del data[at:]
        elif kind == "zero":
            data[at : at + 512] = bytes(min(512, len(data) - at))
    suffix = draw(st.sampled_from([source.suffix, source.suffix, ".txt", ".docx", ".pdf"]))
    return suffix, Sample(data)


def _count(outcome: str) -> None:
    """Record the outcome mix, shown by ``pytest --hypothesis-show-statistics``."""
    if currently_in_test_context():
        event(outcome)


def _check_outcome(path: Path) -> Plan | None:
    """Parse ``path``: a sound plan, or a one-line error of the extract layer."""
    try:
        plan = parse_plan(path)
    except ExtractError as exc:
        _count(type(exc).__name__)
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        assert message.startswith(f"{path}: "), message
        assert "Traceback" not in message
        return None
    _count("parsed")
    size = len(plan.text)
    spans: list[Section | Area | ActionLine | TextSpan] = [
        *plan.sections,
        *plan.areas,
        *plan.action_lines,
        *plan.preamble,
    ]
    for span in spans:
        assert 0 <= span.start <= span.end <= size, span
    json.dumps(plan_to_json(plan), ensure_ascii=False)
    return plan


def _damage_deflate(data: bytes) -> bytes:
    """A .docx whose ``word/document.xml`` deflate stream is broken, its CRCs intact
    (zlib's own error, which once escaped the reader as a traceback)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    sizes = data[info.header_offset + 26 : info.header_offset + 30]
    name_size, extra_size = struct.unpack("<HH", sizes)
    start = info.header_offset + 30 + name_size + extra_size + 2
    return data[:start] + bytes(b ^ 0xFF for b in data[start : start + 8]) + data[start + 8 :]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=mutated_text_file())
def test_a_mutated_text_plan_parses_or_fails_in_one_line(data: Sample, fuzz_dir: Path) -> None:
    path = fuzz_dir / "plan.txt"
    path.write_bytes(data)
    _check_outcome(path)


@settings(FUZZ, max_examples=60)
@given(file=mutated_binary_file())
def test_a_damaged_word_or_pdf_plan_parses_or_fails_in_one_line(
    file: tuple[str, Sample], fuzz_dir: Path
) -> None:
    suffix, data = file
    path = fuzz_dir / f"plan{suffix}"
    path.write_bytes(data)
    _check_outcome(path)


def test_the_mutations_reach_both_outcomes(fuzz_dir: Path) -> None:
    """The fuzzing is not vacuous: the unmutated plans parse, and known breakage fails."""
    for source in TEXTS:
        assert _check_outcome(source) is not None, source
    for name, data in [
        ("nul.txt", TEXTS[0].read_bytes().replace(b"\n", b"\n\x00", 1)),
        ("surrogate.txt", codecs.BOM_UTF8 + "1.1.1. \ud800".encode("utf-8", "surrogatepass")),
        ("cut.docx", BINARIES[0].read_bytes()[:1000]),
        ("deflate.docx", _damage_deflate(BINARIES[0].read_bytes())),
    ]:
        path = fuzz_dir / name
        path.write_bytes(data)
        assert _check_outcome(path) is None, name
