"""Topics from area titles and subjects; SDGs from a line's own words and entities."""

from __future__ import annotations

from aseankg.extract.nlp.lexicon_topics import TOPIC_SDGS
from aseankg.extract.nlp.topics import find_topics, sdgs_of


def test_topics_are_found_as_whole_phrases() -> None:
    found = [hit.concept for hit in find_topics("combat trafficking in persons and cybercrime")]
    assert found == ["trafficking-in-persons", "cybersecurity"]
    assert find_topics("a prefinancial note") == []


def test_sdgs_come_from_the_lines_words_and_entities_with_evidence() -> None:
    text = "Promote cooperation on marine debris, in line with the Paris Agreement"
    hits = {hit.concept: hit for hit in sdgs_of(text, [("paris-agreement", "Paris Agreement")])}
    assert (hits["14.1"].method, hits["14.1"].evidence) == ("keyword", "marine debris")
    assert (hits["13"].method, hits["13"].evidence) == ("entity:paris-agreement", "Paris Agreement")
    # a topic alone ties a line to no goal: "environment" is not goals 12, 13, 14 and 15
    environment = "Promote cooperation on the environment"
    assert find_topics(environment) and sdgs_of(environment) == []


def test_words_inside_an_entitys_name_are_not_the_lines_words() -> None:
    text = "Cooperate with the International Atomic Energy Agency (IAEA) on nuclear safety"
    assert [h.concept for h in sdgs_of(text)] == ["7"]
    named = [("iaea", "International Atomic Energy Agency (IAEA)")]
    assert sdgs_of(text, named) == []


def test_every_topic_maps_to_the_ontologys_scheme() -> None:
    assert all(goal.split(".")[0].isdigit() for goals in TOPIC_SDGS.values() for goal in goals)
