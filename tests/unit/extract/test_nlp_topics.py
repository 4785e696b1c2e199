"""Topics from area titles and subjects, SDGs from topics and telling phrases."""

from __future__ import annotations

from aseankg.extract.nlp.lexicon_topics import TOPIC_SDGS
from aseankg.extract.nlp.topics import find_topics, sdgs_of


def test_topics_are_found_as_whole_phrases() -> None:
    found = [hit.concept for hit in find_topics("combat trafficking in persons and cybercrime")]
    assert found == ["trafficking-in-persons", "cybersecurity"]
    assert find_topics("a prefinancial note") == []


def test_sdgs_follow_topics_and_targets_follow_phrases() -> None:
    text = "Support the Bangkok Declaration on Combating Marine Debris"
    topics = find_topics(text)
    sdgs = [hit.concept for hit in sdgs_of(text, topics)]
    assert "14.1" in sdgs and "13" in sdgs
    evidence = {hit.concept: hit.method for hit in sdgs_of(text, topics)}
    assert evidence["14.1"] == "keyword"


def test_every_topic_maps_to_the_ontologys_scheme() -> None:
    assert all(goal.split(".")[0].isdigit() for goals in TOPIC_SDGS.values() for goal in goals)
