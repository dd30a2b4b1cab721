# ruff: noqa: RUF001
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.core.authoring.draft import draft_deck
from studyapp.core.authoring.questions import key_point_question
from studyapp.core.decks.reader import load_deck
from studyapp.core.decks.sources import normalise
from studyapp.core.model import CardKind, CardType

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "tests" / "data" / "seeds"
REVIEW = SEEDS / "000_2e204dcfd2805634.txt"

ARTICLE = """Circadian clocks in peripheral tissues

Abstract

Light entrains the central clock. Night-time eating shifts hepatic clock gene \
expression, which disrupts glucose output and thereby raises fasting blood glucose.

Summary points

1. The suprachiasmatic nucleus sets the timing of the central clock.
2. Meal timing, not light, is the main signal that sets the liver clock.

Key terms

Suprachiasmatic nucleus (SCN)
A small region of the hypothalamus that acts as the central pacemaker.
Zeitgeber — An external cue that sets the phase of a biological clock.
Chronotype – A person's natural preference for the timing of sleep.
Phase response curve - The shift of a clock as a function of when a cue is given.
Time-restricted eating (TRE): A pattern in which all food is eaten within a window.
Free-running period\tThe length of the cycle of a clock kept without cues.

Abbreviations

BMAL1, brain and muscle ARNT-like 1; PER2, period 2

Box 2: How clocks are measured

Clock gene expression is followed in hair follicles every four hours.

References

Lindqvist, A. (2019). Meal timing sets the liver clock in mice. Journal of \
Imaginary Chronobiology, 8(2), 101–109. https://doi.org/10.5555/jic.2019.8
Okafor, T. and Osei, K. (2020) Does night work cause diabetes? Imaginary \
Epidemiology, 3(1), pp. 12–19.
Osei, K., 2021. Night shifts raise fasting glucose in nurses. Imaginary \
Metabolism, 4, pp. 1–9.
Imaginary Sleep Society (2018). Guidelines for shift workers. Imaginary Press.
Brandt, P. (in press). Clocks and meals. Imaginary Press.
Tanaka H. Clock genes of the liver. In: Brandt P, editor. Clocks of the Body. \
Oslo: Imaginary Press; 2017. p. 45–67.
"""


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return draft_deck(ARTICLE, source_id="doc", legacy=False)


def test_every_glossary_form_is_read(result) -> None:  # type: ignore[no-untyped-def]
    terms = [c.front for c in result.cards if "glossary" in c.tags]

    assert terms == [
        "Suprachiasmatic nucleus (SCN)",
        "Zeitgeber",
        "Chronotype",
        "Phase response curve",
        "Time-restricted eating (TRE)",
        "Free-running period",
    ]
    assert not [w for w in result.warnings if w.startswith("glossary")]


def test_abbreviations_get_their_own_cards(result) -> None:  # type: ignore[no-untyped-def]
    cards = {c.front: c.back for c in result.cards if "abbreviation" in c.tags}

    assert (
        cards["What does the abbreviation SCN stand for?"] == "Suprachiasmatic nucleus"
    )
    assert (
        cards["What does the abbreviation TRE stand for?"] == "Time-restricted eating"
    )
    assert cards["What does the abbreviation BMAL1 stand for?"] == (
        "brain and muscle ARNT-like 1"
    )
    assert cards["What does the abbreviation PER2 stand for?"] == "period 2"


def test_unnumbered_references_in_apa_and_harvard(result) -> None:  # type: ignore[no-untyped-def]
    findings = {
        c.study.reference: c.study for c in result.cards if c.kind is CardKind.FINDING
    }
    warnings = "\n".join(result.warnings)

    # 1 and 3 state results; 2 is a question; 4 a guideline; 5 in press; 6 a chapter
    assert sorted(findings) == [1, 3]
    assert findings[1].doi == "10.5555/jic.2019.8"
    assert findings[1].journal == "Journal of Imaginary Chronobiology"
    assert findings[3].authors == "Osei, K."
    assert findings[3].year == 2021
    assert "reference 4 (line" in warnings
    assert "group author" in warnings
    assert "reference 5 (line" in warnings
    assert "in press" in warnings
    assert "reference 6" not in warnings


def test_key_points_become_questions_and_mechanisms_need_a_chain(result) -> None:  # type: ignore[no-untyped-def]
    points = [c for c in result.cards if c.kind is CardKind.KEY_POINT]
    mechanisms = [c for c in result.cards if c.kind is CardKind.MECHANISM]

    assert [c.front for c in points] == [
        "What does the suprachiasmatic nucleus set?",
        "What is the main signal that sets the liver clock?",
    ]
    assert "complete the statement" not in " ".join(c.front for c in result.cards)
    assert [len(c.steps) for c in mechanisms] == [3]  # "Light entrains" is one link
    assert result.boxes == ("Box 2: How clocks are measured",)
    for card in result.cards:
        assert normalise(card.source.quote) in normalise(ARTICLE), card.id


@pytest.mark.parametrize(
    ("point", "question"),
    [
        (
            "Myokines mediate muscle–organ crosstalk to the liver.",
            "What do myokines mediate?",
        ),
        (
            "Frostin acts on enteroendocrine cells in the gut.",
            "What does frostin act on?",
        ),
        ("Cathepsin B is an exercise-induced myokine.", "What is cathepsin B?"),
        (
            "Serum levels of IL-6 increase with exercise, and IL-6 acts on the brain.",
            "How do serum levels of IL-6 change with exercise?",
        ),
        (
            "Exercise can indirectly be sensed by the brain via adipose tissue.",
            "How can exercise indirectly be sensed by the brain?",
        ),
    ],
)
def test_key_point_questions(point: str, question: str) -> None:
    asked = key_point_question(point)

    assert asked is not None
    assert asked[0] == question


def test_key_point_without_a_verb_we_know_is_a_cloze_of_a_defined_term() -> None:
    text = (
        "T\n\nKey points\n\n• Voles lacking frostin shiver less than other voles.\n\n"
        "Glossary\n\nFrostin: A bone hormone that osteocytes release in the cold.\n"
    )

    (card,) = [
        c
        for c in draft_deck(text, source_id="d", legacy=False).cards
        if c.kind is CardKind.KEY_POINT
    ]

    assert card.type is CardType.CLOZE
    assert "{{c1::frostin}}" in card.cloze.lower()


def test_seed_review_drafts_as_before_or_better() -> None:
    text = REVIEW.read_text(encoding="utf-8")
    old = draft_deck(text, source_id="doc")
    new = draft_deck(text, source_id="doc", legacy=False)

    assert new.count(CardKind.KEY_POINT) == old.count(CardKind.KEY_POINT) == 6
    old_terms = [c.front for c in old.cards if c.kind is CardKind.GLOSSARY]
    new_terms = [c.front for c in new.cards if "glossary" in c.tags]
    assert new_terms == old_terms
    assert {"UCP1"} <= {
        c.id.removeprefix("abbr-").upper()
        for c in new.cards
        if "abbreviation" in c.tags
    }
    findings = [c for c in new.cards if c.kind is CardKind.FINDING]
    assert 0 < len(findings) < old.count(CardKind.FINDING)
    assert all("?" not in c.study.title for c in findings)
    assert all(len(c.steps) >= 3 for c in new.cards if c.kind is CardKind.MECHANISM)
    normalised = normalise(text)
    assert all(normalise(c.source.quote) in normalised for c in new.cards)


@pytest.mark.parametrize("name", ["cluttered-page.html", "fictional-article.txt"])
def test_cli_writes_the_source_text_and_a_commented_deck(
    tmp_path: Path, name: str
) -> None:
    out = tmp_path / "deck" / "draft.yaml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyapp",
            "draft",
            str(ROOT / "tests" / "data" / "draft" / name),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    written = out.read_text(encoding="utf-8")
    assert "# check: question made from the sentence" in written
    deck = load_deck(out)
    assert deck.cards
    text = normalise(deck.sources[0].text)
    assert all(normalise(card.source.quote) in text for card in deck.cards)


def test_a_glossary_in_a_box_and_references_numbered_without_points() -> None:
    text = (
        "Clocks\n\nBox 1 | Glossary\n\nZeitgeber\n\n"
        "An external cue that sets the phase of a biological clock.\n\n"
        "Further reading\n\n"
        "1 Lindqvist A, Okafor T. Meal timing sets the liver clock. J Imag Chron. "
        "2019;8:101-9.\n"
        "2 Imaginary Sleep Society. Shift work guideline. Oslo: Vole Press; 2018.\n"
    )

    result = draft_deck(text, source_id="d", title="Clocks", legacy=False)

    (term,) = [c for c in result.cards if "glossary" in c.tags]
    assert term.front == "Zeitgeber"
    assert term.source.section == "Box 1 | Glossary"
    assert result.references == 2
    findings = [c.study for c in result.cards if c.kind is CardKind.FINDING]
    assert [(s.reference, s.year, s.journal) for s in findings] == [
        (1, 2019, "J Imag Chron")
    ]


def test_a_stray_line_in_a_reference_list_is_reported_and_skipped() -> None:
    text = (
        "References\n\n"
        "1. Osei, K. M. Night shifts raise glucose. Imag. Metab. 4, 1–9 (2021).\n"
        "Advertisement\n"
        "2. Brandt, P. Meals reset the liver clock. Imag. Chron. 8, 1–9 (2019).\n"
    )

    result = draft_deck(text, source_id="d", title="T", legacy=False)

    assert result.references == 2
    assert "references: line 4 is not a reference entry; skipped it" in result.warnings
