"""Realistic synthetic plans of action of the genre, for benchmarks and the graph tests.

``generate_plan(seed, partner, period)`` writes one plan as .txt text: title with the
partner and period, "Adopted on" line, preamble defining the PMC+1, numbered sections
(some without areas), areas and about a hundred action lines built from the genre's
phrasing: catenative and coordinated verbs, inline definitions "Full Name (ACR)" and
later uses of the acronym, period suffixes, names broken across two physical lines,
lettered sub-items, conversion debris in headings, and capitalised topics that are no
entities. The same arguments always give the same text.

>>> text = generate_plan(1, "New Zealand", (2026, 2030))
>>> text.splitlines()[0].startswith("2026-2030 Plan of Action to Implement")
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["generate_plan"]

_MONTHS = ("January", "March", "May", "July", "August", "September", "October", "November")
_RELATIONS = ("Strategic", "Comprehensive Strategic", "Enhanced")

# (section title, [area titles] or [] when its lines sit directly under it)
_STRUCTURE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Political and Security Cooperation", (
        "Political Dialogue and Regional Architecture", "Maritime Cooperation",
        "Transnational Crime and Counter-Terrorism", "Human Rights and Good Governance")),
    ("Economic Cooperation", (
        "Trade and Investment", "Digital Economy", "Energy", "Food, Agriculture and Forestry",
        "Transport and Tourism", "Micro, Small and Medium Enterprises (MSMEs)")),
    ("Socio-Cultural Cooperation", (
        "Disaster Management and Humanitarian Assistance", "Environment and Climate Change",
        "Public Health", "Education and Youth", "Social Protection and Gender")),
    ("Connectivity and Cross-Pillar Cooperation", ()),
    ("Sustainable Development Cooperation", ()),
    ("Narrowing the Development Gap", ()),
    ("Implementation Mechanism", ()),
)  # fmt: skip

_TOPICS = (
    "Maritime Safety", "Cybersecurity", "Illicit Drugs", "Trafficking in Persons",
    "Digital Trade", "Renewable Energy", "Food Security", "Sustainable Tourism",
    "Disaster Risk Reduction", "Climate Resilience", "Public Health Emergencies",
    "Youth Development", "Women Entrepreneurship", "Marine Debris", "Smart Agriculture",
    "Rural Development", "Financial Inclusion", "Water Resources Management",
)  # fmt: skip
_BODY_HEADS = ("Working Group on", "Committee on", "Network on", "Centre for", "Task Force on")
_INSTRUMENT_HEADS = (
    "Work Plan on",
    "Framework on",
    "Strategy on",
    "Plan of Action on",
    "Declaration on",
    "Master Plan on",
    "Roadmap on",
)
_VERBS = (
    "Strengthen",
    "Enhance",
    "Promote",
    "Support",
    "Explore",
    "Encourage",
    "Facilitate",
    "Continue to support",
    "Continue to promote",
    "Further enhance",
    "Further explore",
)
_OBJECTS = (
    "cooperation on {topic}",
    "capacity building on {topic}",
    "dialogue and exchange of best practices on {topic}",
    "joint research and technical assistance on {topic}",
    "the sharing of information and expertise on {topic}",
)
_FILLERS = (
    "in areas such as the Fourth Industrial Revolution and Big Data Analytics",
    "including through Smart Cities and Maritime Security dialogues",
    "with due regard to respective domestic laws and regulations",
    "in line with the principles of the ASEAN Charter",
    "including for women, youth and persons with disabilities",
)


@dataclass(frozen=True)
class _Entity:
    name: str
    acronym: str


def _acronym(name: str) -> str:
    skip = {"on", "for", "of", "the", "and", "in", "to"}
    return "".join(w[0] for w in name.replace("-", " ").split() if w.lower() not in skip).upper()


def _entities(rng: random.Random, partner: str) -> tuple[list[_Entity], list[_Entity]]:
    bodies = [_Entity(f"ASEAN {head} {topic}", "") for head in _BODY_HEADS for topic in _TOPICS]
    instruments = [
        _Entity(f"ASEAN {head} {topic}", "") for head in _INSTRUMENT_HEADS for topic in _TOPICS
    ]
    rng.shuffle(bodies)
    rng.shuffle(instruments)
    bodies = [_Entity(e.name, _acronym(e.name)) for e in bodies[:14]]
    instruments = [_Entity(e.name, _acronym(e.name)) for e in instruments[:14]]
    bodies.append(_Entity(f"ASEAN-{partner} Joint Cooperation Committee", "JCC"))
    bodies.append(_Entity(f"{partner} Agency for International Development", ""))
    return bodies, instruments


def _mention(rng: random.Random, entity: _Entity, seen: set[str], period: tuple[int, int]) -> str:
    """The entity as the genre writes it: defined the first time, acronym later."""
    suffix = rng.choice(
        ("", "", f" {period[0] - 5}-{period[0] - 1}", f" ({period[0]}-{period[1]})")
    )
    if entity.acronym and entity.acronym in seen and rng.random() < 0.7:
        return entity.acronym
    if entity.acronym:
        seen.add(entity.acronym)
        return f"the {entity.name} ({entity.acronym}){suffix}"
    return f"the {entity.name}{suffix}"


def _line(rng: random.Random, bodies: list[_Entity], instruments: list[_Entity],
          seen: set[str], period: tuple[int, int]) -> str:  # fmt: skip
    verb = rng.choice(_VERBS)
    topic = rng.choice(_TOPICS).lower()
    text = f"{verb} {rng.choice(_OBJECTS).format(topic=topic)}"
    shape = rng.random()
    if shape < 0.3:
        text += f" with {_mention(rng, rng.choice(bodies), seen, period)}"
    elif shape < 0.6:
        text += (
            f" to support the implementation of "
            f"{_mention(rng, rng.choice(instruments), seen, period)}"
        )
    elif shape < 0.75:
        text += (
            f", in accordance with {_mention(rng, rng.choice(instruments), seen, period)}"
            f" and through {_mention(rng, rng.choice(bodies), seen, period)}"
        )
    elif shape < 0.85:
        text += (
            ", through: (a) joint workshops and trainings; (b) exchanges of experts; "
            "and (c) pilot projects"
        )
    if rng.random() < 0.3:
        text += ", " + rng.choice(_FILLERS)
    if rng.random() < 0.15:
        text += f" and promote closer engagement between ASEAN and {rng.choice(bodies).name}"
    return text


def _wrap(rng: random.Random, text: str) -> str:
    """Break a long line across two physical lines now and then, as Word exports do."""
    if len(text) > 120 and rng.random() < 0.1:
        cut = text.rfind(" ", 0, len(text) - 20)
        return text[:cut] + " \n" + text[cut + 1 :]
    return text


def generate_plan(seed: int, partner: str, period: tuple[int, int] | str) -> str:
    """The text of a synthetic plan of ASEAN with ``partner`` for ``period``.

    ``period`` is a (start, end) pair or a "start-end" string. Raises ``ValueError``
    for a period that is not two years, start before end.
    """
    if isinstance(period, str):
        parts = period.split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"period must be 'start-end', got {period!r}")
        period = (int(parts[0]), int(parts[1]))
    start, end = period
    if start > end:
        raise ValueError(f"period starts after it ends: {start}-{end}")
    rng = random.Random(f"{seed}:{partner}:{start}-{end}")
    name = partner.removeprefix("the ")
    bodies, instruments = _entities(rng, name)
    seen: set[str] = set()
    relation = rng.choice(_RELATIONS)
    out = [
        f"{start}-{end} Plan of Action to Implement the Joint Declaration on "
        f"ASEAN-{name} {relation} Partnership",
        f"Adopted on {rng.randint(1, 28)} {rng.choice(_MONTHS)} {start - 1}",
        f"This Plan of Action guides the implementation of the ASEAN-{name} {relation} "
        f"Partnership, adopted by the ASEAN Post Ministerial Conference with {partner} (PMC+1).",
        f"ASEAN and {partner} will pursue cooperation in the following priority areas.",
    ]
    for s, (title, areas) in enumerate(_STRUCTURE, 1):
        debris = f"[bookmark: _Toc{rng.randint(10**8, 10**9)}]" if rng.random() < 0.5 else ""
        out.append(f"{s}. {debris}{title}")
        groups = [(f"{s}.{a}", area) for a, area in enumerate(areas, 1)] or [(f"{s}.1", "")]
        for prefix, area in groups:
            if area:
                out.append(f"{prefix}. {area}")
            for n in range(1, rng.randint(3, 6) + 1):
                text = _line(rng, bodies, instruments, seen, period)
                if title == "Implementation Mechanism" and n == 1:
                    text = (
                        f"Submit progress reports on the implementation of this Plan of "
                        f"Action to the annual ASEAN PMC+1 with {partner} through the JCC"
                    )
                out.append(_wrap(rng, f"{prefix}.{n}. {text};"))
    out[-1] = out[-1].rstrip(";") + "."
    return "\n".join(out) + "\n"
