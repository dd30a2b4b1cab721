# The expected strings quote the sources verbatim, en dashes included.
# ruff: noqa: RUF001
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from studyapp.core.decks.cloze import cloze_answers, cloze_numbers
from studyapp.core.decks.reader import load_deck
from studyapp.core.decks.sources import normalise
from studyapp.core.library import Library
from studyapp.core.model import CardKind, CardSpec, CardType, Deck

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "decks"
SOURCES = ROOT / "resources" / "sources"
DECK_FILES = sorted(DECKS.rglob("*.yaml"))

REVIEW = "pedersen-2019"
NEURTURIN = "correia-2021-neurturin"
GLOSSARY_TERMS = [
    "physical activity",
    "moderate-to-vigorous physical activity",
    "aerobic exercise",
    "resistance training",
    "exercise training",
    "myokines",
    "browning",
    "sarcopenia",
]
# Each pathway the issue names, and words its chain of steps must contain.
PATHWAYS = {
    "cathepsin B": ["cathepsin B", "blood–brain barrier"],
    "FNDC5 and BDNF": ["FNDC5", "brain-derived neurotrophic factor"],
    "IL-6 and feeding": ["IL-6", "feeding"],
    "kynurenine": ["kynurenine aminotransferase", "kynurenic acid"],
    "adiponectin": ["adiponectin"],
    "FGF21 and IGF1 via the liver": ["liver", "fibroblast growth factor 21"],
    # The chain keeps to the glossary's definition of myokines (issue 16).
    "myokine crosstalk to other organs": ["muscle cells", "circulation"],
    "neurturin and motor neuron identity": ["neurturin", "motor neuron identity"],
}
# Words an answer may use that its source need not contain.
GLUE_WORDS = {"they", "their", "this", "that", "with", "because", "whether"}


@pytest.fixture(scope="module")
def decks() -> list[Deck]:
    return [load_deck(path) for path in DECK_FILES]


@pytest.fixture(scope="module")
def cards(decks: list[Deck]) -> list[CardSpec]:
    return [card for deck in decks for card in deck.cards]


def _source_text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def _key_points() -> list[str]:
    text = _source_text("pedersen-2019.txt")
    section = text.split("\nKey points\n", 1)[1].split("\nFig. 1:", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("• ")]


def _references() -> dict[int, str]:
    text = _source_text("pedersen-2019.txt")
    found = re.findall(r"(?m)^(\d{1,3})\. (.+)$", text.split("\nReferences\n")[1])
    return {int(number): reference for number, reference in found}


def _first_authors(authors: str) -> str:
    names = re.findall(
        r"(?:^|, |& )([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*), [A-Z]\.", authors
    )
    if "et al." not in authors and "&" in authors and len(names) == 2:
        return " & ".join(names)
    return f"{authors.split(',')[0]} et al."


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", text.lower()) if len(w) > 3}


def test_the_bundled_decks_are_there() -> None:
    assert {path.relative_to(DECKS).as_posix() for path in DECK_FILES} >= {
        "correia-2021/neurturin.yaml",
        "pedersen-2019/findings.yaml",
        "pedersen-2019/glossary.yaml",
        "pedersen-2019/key-points.yaml",
        "pedersen-2019/mechanisms.yaml",
    }


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.stem)
def test_deck_loads_without_problems(path: Path) -> None:
    deck = load_deck(path)

    assert deck.document
    assert deck.id.startswith(deck.document)
    assert path.parent.name == deck.document
    assert all(source.text for source in deck.sources)


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.stem)
def test_every_quote_is_verbatim_in_its_source(path: Path) -> None:
    # Checked here without the loader, so a loader bug cannot hide a bad quote.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = {
        source["id"]: normalise((ROOT / source["text"]).read_text(encoding="utf-8"))
        for source in data["sources"]
    }
    for card in data["cards"]:
        anchor = card["source"]
        assert anchor["section"], card["id"]
        assert normalise(anchor["quote"]) in texts[anchor["ref"]], card["id"]


def test_deck_ids_are_unique(decks: list[Deck]) -> None:
    ids = [deck.id for deck in decks]

    assert len(ids) == len(set(ids))


def test_every_card_has_tags(cards: list[CardSpec]) -> None:
    assert [card.id for card in cards if not card.tags] == []


def test_cloze_answers_come_from_the_quote(cards: list[CardSpec]) -> None:
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        quote = normalise(card.source.quote)
        for number in cloze_numbers(card.cloze):
            for answer in cloze_answers(card.cloze, number):
                assert normalise(answer) in quote, (card.id, answer)


def test_answers_and_steps_use_the_words_of_the_source(decks: list[Deck]) -> None:
    for deck in decks:
        texts = {source.id: normalise(source.text).lower() for source in deck.sources}
        for card in deck.cards:
            if card.study is not None and card.id.endswith("-which"):
                continue  # the answer is the study; checked against the reference
            text = texts[card.source.ref]
            for answer in [card.back, *card.steps]:
                words = _words(answer) - GLUE_WORDS
                missing = {word for word in words if word not in text}
                assert len(missing) <= 0.15 * len(words), (card.id, missing)


def test_all_six_key_points_have_a_question_and_a_cloze(
    cards: list[CardSpec],
) -> None:
    points = _key_points()
    assert len(points) == 6
    key_cards = [card for card in cards if card.kind is CardKind.KEY_POINT]
    for point in points:
        covering = [c for c in key_cards if normalise(c.source.quote) in point]
        types = {card.type for card in covering}
        assert CardType.CLOZE in types, point
        assert CardType.BASIC in types, point


# Asked one way only: their definitions name the term's root ("produced by
# skeletal muscle cells", "aerobic metabolism"), so backwards they are trivial.
ONE_WAY_TERMS = {"myokines", "aerobic exercise"}


def test_all_eight_glossary_terms_both_ways(cards: list[CardSpec]) -> None:
    term_cards = {
        card.front.lower(): card.type
        for card in cards
        if card.kind is CardKind.GLOSSARY and card.front.lower() in GLOSSARY_TERMS
    }

    assert sorted(term_cards) == sorted(GLOSSARY_TERMS)
    for term, card_type in term_cards.items():
        wanted = CardType.BASIC if term in ONE_WAY_TERMS else CardType.REVERSED
        assert card_type is wanted, term
    for card in cards:
        if card.kind is CardKind.GLOSSARY and card.type is CardType.REVERSED:
            # the back is shown as the prompt: it must not name the term
            assert card.front.lower() not in card.back.lower(), card.id


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        ("WHO minimum recommendations", "150 min"),
        ("UCP1", "Uncoupling protein 1"),
        ("Greek", "Sarx and penia"),
        ("Greek", "‘Flesh’ (sarx) and ‘loss’ (penia)"),
        ("acute exercise", "‘Acute exercise’"),
        ("beige", "Beige or brite"),
    ],
)
def test_glossary_has_cards_for_facts_in_definitions(
    cards: list[CardSpec], fact: str, answer: str
) -> None:
    assert any(
        card.kind is CardKind.GLOSSARY
        and answer in card.back
        and (fact.lower() in (card.front + card.source.quote).lower())
        for card in cards
    )


def test_at_least_eight_mechanisms_with_steps(cards: list[CardSpec]) -> None:
    # Steps are optional: the endocrine loop is a claim, not a chain.
    chains = {
        card.steps for card in cards if card.kind is CardKind.MECHANISM and card.steps
    }

    assert all(len(steps) >= 2 for steps in chains)
    assert len(chains) >= 8
    for name, words in PATHWAYS.items():
        assert any(
            all(word in " ".join(steps) for word in words) for steps in chains
        ), name


def test_each_mechanism_asks_next_step_mediator_and_effect(
    cards: list[CardSpec],
) -> None:
    by_chain: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for card in cards:
        if card.kind is CardKind.MECHANISM:
            by_chain[card.steps].add(card.id.rsplit("-", 1)[-1])
    named = [
        chain
        for chain in by_chain
        if any(all(w in " ".join(chain) for w in ws) for ws in PATHWAYS.values())
    ]

    assert len(named) >= 8
    for chain in named:
        asked = by_chain[chain]
        assert "chain" in asked, chain
        assert len({"next", "mediator", "effect"} & asked) >= 2, chain


def test_the_neurturin_study(cards: list[CardSpec]) -> None:
    study_cards = [
        card
        for card in cards
        if card.kind is CardKind.FINDING and card.source.ref == NEURTURIN
    ]
    studies = {card.study for card in study_cards}
    tags = {tag for card in study_cards for tag in card.tags}

    assert len(studies) == 1
    study = studies.pop()
    assert study is not None
    assert study.authors.startswith("Correia")
    assert study.year == 2021
    assert study.journal == "Cell Metabolism"
    assert study.doi == "10.1016/j.cmet.2021.09.003"
    assert "neurturin" in study.title
    assert {"design", "results", "limitations", "people", "publication"} <= tags
    text = normalise(_source_text("correia-2021-neurturin.txt"))
    assert normalise(study.title) in text
    assert study.doi in text


def test_at_least_25_reference_findings_asked_both_ways(
    cards: list[CardSpec],
) -> None:
    references = _references()
    assert len(references) == 149
    by_number: dict[int, list[CardSpec]] = defaultdict(list)
    for card in cards:
        if card.kind is CardKind.FINDING and card.source.ref == REVIEW:
            assert card.study is not None
            assert card.study.reference is not None
            by_number[card.study.reference].append(card)

    assert len(by_number) >= 25
    for number, found in by_number.items():
        kinds = {card.id.rsplit("-", 1)[-1] for card in found}
        assert {"which", "what"} <= kinds, number


def test_reference_findings_match_the_reference_list(cards: list[CardSpec]) -> None:
    references = _references()
    for card in cards:
        if card.kind is not CardKind.FINDING or card.source.ref != REVIEW:
            continue
        study = card.study
        assert study is not None
        assert study.reference is not None
        line = references[study.reference]
        assert line.startswith(study.authors), card.id
        assert line.endswith(f"({study.year})."), card.id
        assert f" {study.journal} " in line, card.id
        assert study.title in line, card.id
        assert normalise(card.source.quote) in line, card.id
        if card.id.endswith("-which"):
            # One answer: first author and year (issue 16); the journal and
            # reference number travel with the card's study.
            assert card.back == f"{_first_authors(study.authors)}, {study.year}."


def test_the_decks_import_into_a_library() -> None:
    library = Library.in_memory()
    try:
        summaries = library.import_paths([DECKS])
    finally:
        library.close()

    added = {summary.deck_id: summary.added for summary in summaries}
    assert added == {deck.id: len(deck.cards) for deck in map(load_deck, DECK_FILES)}


def test_the_linter_finds_nothing_unexplained_in_the_bundled_decks() -> None:
    from studyapp.core.decks.lint import lint_paths

    report = lint_paths([DECKS])

    assert report.problems == ()
    assert [str(warning) for warning in report.warnings] == []
    assert all(len(warning.why.split()) >= 3 for warning in report.silenced)
