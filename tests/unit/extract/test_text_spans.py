"""The normaliser: a span's text and the offset map that takes it back to the raw span."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.extract.parser import parse_plan
from aseankg.extract.text_spans import normalise, normalise_span

ROOT = Path(__file__).resolve().parents[3]
PLANS = sorted(
    [ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"]
    + [p for p in (ROOT / "tests" / "data" / "plans").iterdir() if p.suffix in (".txt", ".pdf")]
)


@pytest.mark.parametrize(
    ("raw", "drop_final"),
    [
        ("Support the Plan (APAEC) \n2016-2025;", True),
        ("  Enhance [bookmark: _Toc118723531]cooperation\r\n   on energy.", True),
        ("Strengthen the \t\u00a0\n\n  ARF [bookmark: _Toc1] and  the  EAS;", False),
        ("\n\n", True),
        ("ASEAN;", True),
    ],
)
def test_every_character_maps_to_itself_and_spaces_to_whitespace(
    raw: str, drop_final: bool
) -> None:
    normalised = normalise(raw, drop_final=drop_final)
    assert normalised.text == normalise_span(raw, drop_final=drop_final)
    assert len(normalised.offsets) == len(normalised.text)
    for char, offset in zip(normalised.text, normalised.offsets, strict=True):
        if char == " ":
            assert raw[offset].isspace(), (raw, offset)
        else:
            assert raw[offset] == char, (raw, offset)
    assert list(normalised.offsets) == sorted(set(normalised.offsets))


def test_a_word_after_a_line_break_and_debris_maps_onto_its_raw_span() -> None:
    raw = "Support the Plan (APAEC) [bookmark: _Toc1]\n  2016-2025;"
    normalised = normalise(raw)
    start = normalised.text.index("2016")
    low, high = normalised.raw_span(start, start + len("2016-2025"))
    assert raw[low:high] == "2016-2025"


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_text_the_parser_gives_is_its_span_normalised(path: Path) -> None:
    """The extractor reads ``normalise(span)`` where the parser wrote ``text``: the same."""
    plan = parse_plan(path)
    spans = [(p.text, p.start, p.end, False) for p in plan.preamble]
    spans += [(s.title, s.start, s.end, False) for s in plan.sections]
    spans += [(a.title, a.start, a.end, False) for a in plan.areas]
    spans += [(line.text, line.start, line.end, True) for line in plan.action_lines]
    spans += [(c.text, c.start, c.end, False) for line in plan.action_lines if (c := line.lead)]
    for text, start, end, drop_final in spans:
        assert normalise(plan.text[start:end], drop_final=drop_final).text == text
