# The expected strings quote the sources verbatim, en dashes and Greek letters too.
# ruff: noqa: RUF001
from pathlib import Path

import pytest

from studyapp.core.authoring.draft import DraftResult, draft_deck
from studyapp.core.authoring.output import draft_to_yaml
from studyapp.core.authoring.references import parse_reference, short_authors
from studyapp.core.decks.reader import load_deck
from studyapp.core.decks.sources import normalise
from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.model import CardKind, CardSpec, CardType, Study

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "tests" / "data" / "seeds" / "000_2e204dcfd2805634.txt"
CLEAN = ROOT / "resources" / "sources" / "pedersen-2019.txt"
FICTIONAL = ROOT / "tests" / "data" / "draft" / "fictional-article.txt"

REVIEW_TERMS = [
    "Physical activity",
    "Moderate-to-vigorous physical activity",
    "Aerobic exercise",
    "Resistance training",
    "Exercise training",
    "Myokines",
    "Browning",
    "Sarcopenia",
]

# The raw web-page capture is outside the repository; the clean text is inside.
REVIEW_TEXTS = [
    pytest.param(CLEAN, id="clean-source"),
    pytest.param(SEED, id="seed"),
]


def _draft(path: Path) -> DraftResult:
    return draft_deck(path.read_text(encoding="utf-8"), source_id="doc")


def _of_kind(result: DraftResult, kind: CardKind) -> list[CardSpec]:
    return [card for card in result.cards if card.kind is kind]


@pytest.mark.parametrize("path", REVIEW_TEXTS)
def test_review_draft_has_six_key_points_eight_terms_149_references(
    path: Path,
) -> None:
    result = _draft(path)

    assert result.title == "Physical activity and muscle–brain crosstalk"
    assert result.count(CardKind.KEY_POINT) == 6
    assert [card.front for card in _of_kind(result, CardKind.GLOSSARY)] == REVIEW_TERMS
    findings = _of_kind(result, CardKind.FINDING)
    assert [card.study.reference for card in findings] == list(range(1, 150))


@pytest.mark.parametrize("path", REVIEW_TEXTS)
def test_every_drafted_card_is_anchored_to_a_verbatim_passage(path: Path) -> None:
    text = normalise(path.read_text(encoding="utf-8"))
    result = _draft(path)

    for card in result.cards:
        assert card.source is not None
        assert card.source.ref == "doc"
        assert normalise(card.source.quote) in text, card.id


def test_review_key_points_are_the_bullets_in_order() -> None:
    cards = _of_kind(_draft(CLEAN), CardKind.KEY_POINT)

    assert cards[0].back.startswith("Exercise can indirectly be sensed by the brain")
    assert cards[5].back.endswith("thereby reducing depression-like symptoms.")
    assert all(card.source.section == "Key points" for card in cards)


def test_glossary_definition_naming_its_term_is_not_reversed() -> None:
    cards = {card.front: card for card in _of_kind(_draft(CLEAN), CardKind.GLOSSARY)}

    assert cards["Myokines"].type is CardType.REVERSED
    assert cards["Myokines"].back.startswith("Cytokines or peptides produced")
    # "Browning can be defined as ..." would give the answer away backwards.
    assert cards["Browning"].type is CardType.BASIC
    assert "UCP1" in cards["Browning"].back


def test_review_references_are_parsed_into_studies() -> None:
    findings = {
        card.study.reference: card for card in _of_kind(_draft(CLEAN), CardKind.FINDING)
    }

    assert findings[61].study == Study(
        authors="Moon, H. Y. et al.",
        year=2016,
        journal="Cell Metab.",
        title=(
            "Running-induced systemic cathepsin B secretion is associated with "
            "memory function"
        ),
        reference=61,
    )
    assert findings[61].front == "Moon et al. (2016; ref. 61)"
    assert findings[4].study.authors == "Noakes, T. & Spedding, M."
    assert findings[11].study.journal == "Evid. Rep. Technol. Assess. (Full Rep.)"
    assert findings[1].study.year == 2002  # a book: (Cambridge Univ. Press, 2002)
    assert findings[1].study.journal == ""
    assert "states-result" in findings[61].tags


def test_review_group_author_is_reported_not_hidden() -> None:
    result = _draft(CLEAN)

    assert [w for w in result.warnings if w.startswith("reference 112")]
    assert len(result.warnings) == 1


def test_review_abstract_mechanisms_are_chains() -> None:
    mechanisms = _of_kind(_draft(CLEAN), CardKind.MECHANISM)
    chains = {card.steps for card in mechanisms}

    assert (
        "Exercise",
        "increases the PGC1α-dependent muscular expression of kynurenine "
        "aminotransferase enzymes",
        "induces a beneficial shift in the balance between the neurotoxic "
        "kynurenine and the neuroprotective kynurenic acid",
        "reducing depression-like symptoms",
    ) in chains
    assert (
        "the myokine cathepsin B passes through the blood–brain barrier",
        "enhance brain-derived neurotrophic factor production",
        "neurogenesis, memory and learning",
    ) in chains
    assert all(len(card.steps) >= 2 for card in mechanisms)
    assert all(card.source.section == "Abstract" for card in mechanisms)


def test_fictional_article_is_drafted() -> None:
    result = _draft(FICTIONAL)

    assert result.title == "Bone–gut signalling during cold exposure in the tundra vole"
    assert result.count(CardKind.KEY_POINT) == 4
    assert [card.front for card in _of_kind(result, CardKind.GLOSSARY)] == [
        "Osteocyte",
        "Enteroendocrine cell",
        "Frostin",
        "Thermal neutral zone",
        "Cold tolerance",
    ]
    mechanisms = _of_kind(result, CardKind.MECHANISM)
    assert [card.steps[0] for card in mechanisms] == [
        "Osteocytes",
        "Frostin",
        "Intestinal glacin",
    ]
    assert mechanisms[2].steps[1] == "converts stored glycogen into heat-ready lactate"


def test_fictional_references_in_three_styles() -> None:
    result = _draft(FICTIONAL)
    studies = {
        card.study.reference: card.study for card in _of_kind(result, CardKind.FINDING)
    }

    assert sorted(n for n in studies if n is not None) == [1, 2, 3, 4, 5, 6]
    assert None not in studies
    assert studies[1] == Study(
        authors="Hartmann LK, Osei KM, Brandt P",
        year=2020,
        journal="J Imag Physiol",
        title="Osteocytes release frostin during cold exposure in tundra voles",
        reference=1,
        doi="10.5555/jip.2020.045",
    )
    assert studies[2].year == 2021
    assert studies[2].journal == "Imag Gut"
    assert studies[3].authors == "Okafor, N. A., & Lindqvist, B."
    assert studies[3].journal == "Journal of Imaginary Physiology"
    assert studies[5].title == "Winter physiology of small mammals"
    assert studies[6].authors == "Ferreira-Lopes A, de Vries M"


def test_fictional_article_reports_what_it_could_not_read() -> None:
    warnings = _draft(FICTIONAL).warnings

    assert any(w.startswith("reference 7") and "no year" in w for w in warnings)
    assert any(w.startswith("reference 4") and "authors" in w for w in warnings)


def test_missing_sections_are_reported_not_guessed() -> None:
    text = "A title\n\nAbstract\n\nNothing here is a mechanism.\n\nReferences\n"

    result = draft_deck(text, source_id="doc")

    assert result.cards == ()
    assert result.title == "A title"
    joined = "\n".join(result.warnings)
    assert "key points: no 'Key points' heading" in joined
    assert "glossary: no 'Glossary' heading" in joined
    assert "mechanisms: no abstract sentence" in joined
    assert "references: heading at line 7 is not followed by a numbered list" in joined


def test_key_points_heading_without_bullets_is_reported() -> None:
    text = "Key points\n\nThis paragraph is not a list.\n"

    result = draft_deck(text, source_id="doc", title="T")

    assert result.count(CardKind.KEY_POINT) == 0
    assert any("not followed by a bulleted list" in w for w in result.warnings)


def test_out_of_order_reference_numbers_are_reported() -> None:
    text = (
        "References\n\n1. Moon, H. Y. Title one. Cell 1, 1–2 (2016).\n"
        "3. Moon, H. Y. Title two. Cell 1, 1–2 (2017).\n"
    )

    result = draft_deck(text, source_id="doc", title="T")

    assert result.count(CardKind.FINDING) == 2
    assert "references: numbers are not 1, 2, 3 ... in order" in result.warnings


def test_wrapped_reference_lines_are_joined() -> None:
    text = (
        "References\n\n1. Moon, H. Y. et al. Running-induced systemic cathepsin B\n"
        "secretion is associated with memory function. Cell Metab. 24,\n"
        "332–340 (2016).\n2. Suzuki, W. A. How body affects brain. Cell Metab. "
        "24, 192–193 (2016).\n\nAcknowledgements\n"
    )

    result = draft_deck(text, source_id="doc", title="T")

    first, second = _of_kind(result, CardKind.FINDING)
    assert first.study.title == (
        "Running-induced systemic cathepsin B secretion is associated with "
        "memory function"
    )
    assert first.study.year == 2016
    assert normalise(first.source.quote) in normalise(text)
    assert second.study.authors == "Suzuki, W. A."
    assert not [w for w in result.warnings if w.startswith("reference")]


def test_glossary_ending_on_an_odd_line_is_reported() -> None:
    text = (
        "Glossary\n\nFrostin\n\nAn invented bone hormone.\n\n"
        "It is released in the cold, and only in voles.\n"
    )

    result = draft_deck(text, source_id="doc", title="T")

    assert result.count(CardKind.GLOSSARY) == 1
    assert any(
        w.startswith("glossary: stopped at line 7 ('It is released")
        for w in result.warnings
    )


@pytest.mark.parametrize(
    ("reference", "authors", "year", "journal", "title"),
    [
        (
            "Wrann, C. D. et al. Exercise induces hippocampal BDNF through a "
            "PGC-1α/FNDC5 pathway. Cell Metab. 18, 649–659 (2013).",
            "Wrann, C. D. et al.",
            2013,
            "Cell Metab.",
            "Exercise induces hippocampal BDNF through a PGC-1α/FNDC5 pathway",
        ),
        (
            "Pedersen, B. K. & Saltin, B. Exercise as medicine. Scand. J. Med. "
            "Sci. Sports 25 (Suppl. 3), 1–72 (2015).",
            "Pedersen, B. K. & Saltin, B.",
            2015,
            "Scand. J. Med. Sci. Sports",
            "Exercise as medicine",
        ),
        (
            "Moon HY, Becke A, et al. Running-induced secretion. Cell Metab. "
            "2016 Aug 9;24(2):332-40.",
            "Moon HY, Becke A, et al",
            2016,
            "Cell Metab",
            "Running-induced secretion",
        ),
        (
            "Okafor, N. A. (2019). Cold makes voles shiver. Imag Physiol, 7(2), "
            "101–110.",
            "Okafor, N. A.",
            2019,
            "Imag Physiol",
            "Cold makes voles shiver",
        ),
        (
            "Gros, F. A Philosophy of Walking (Verso Books, 2014).",
            "Gros, F.",
            2014,
            "",
            "A Philosophy of Walking",
        ),
        (
            "Brandt P. Winter physiology. Oslo: Imaginary Press; 2015.",
            "Brandt P",
            2015,
            "",
            "Winter physiology",
        ),
    ],
)
def test_parse_reference_styles(
    reference: str, authors: str, year: int, journal: str, title: str
) -> None:
    study, problems = parse_reference(reference, number=3)

    assert problems == []
    assert study == Study(
        authors=authors, year=year, journal=journal, title=title, reference=3
    )


def test_parse_reference_without_year_gives_no_study() -> None:
    study, problems = parse_reference("Nakamura S. A brief history of voles.")

    assert study is None
    assert problems == ["no year found"]


@pytest.mark.parametrize(
    ("authors", "short"),
    [
        ("Moon, H. Y. et al.", "Moon et al."),
        ("Gaser, C. & Schlaug, G.", "Gaser & Schlaug"),
        ("Pedersen, B. K.", "Pedersen"),
        ("Keller, C., Hellsten, Y., Steensberg, A. & Pedersen, B. K.", "Keller et al."),
        ("de Assis, G. G. & de Almondes, K. M.", "de Assis & de Almondes"),
        ("Hartmann LK, Osei KM, Brandt P", "Hartmann et al."),
        ("Ferreira-Lopes A, de Vries M", "Ferreira-Lopes & de Vries"),
        ("Arctic Vole Consortium", "Arctic Vole Consortium"),
    ],
)
def test_short_authors(authors: str, short: str) -> None:
    assert short_authors(authors) == short


@pytest.mark.parametrize(
    "path", [*REVIEW_TEXTS, pytest.param(FICTIONAL, id="fictional")]
)
def test_draft_yaml_validates_with_the_deck_loader(path: Path, tmp_path: Path) -> None:
    result = _draft(path)
    deck_file = tmp_path / "draft.yaml"
    # Issue 20: a source text must be in the deck's folder tree.
    (tmp_path / path.name).write_bytes(path.read_bytes())

    deck_file.write_text(
        draft_to_yaml(result, text_path=path.name, deck_id="my-draft"),
        encoding="utf-8",
    )
    deck = load_deck(deck_file)

    assert deck.id == "my-draft"
    assert deck.document == "doc"
    assert len(deck.cards) == len(result.cards)
    assert [card.id for card in deck.cards] == [card.id for card in result.cards]
    assert {card.kind for card in deck.cards} == {
        CardKind.KEY_POINT,
        CardKind.GLOSSARY,
        CardKind.MECHANISM,
        CardKind.FINDING,
    }
    drafted = {card.id: card for card in result.cards}
    for card in deck.cards:
        assert card.study == drafted[card.id].study
        assert card.steps == drafted[card.id].steps


def test_draft_yaml_imports_into_a_library(tmp_path: Path) -> None:
    result = _draft(FICTIONAL)
    deck_file = tmp_path / "draft.yaml"
    (tmp_path / FICTIONAL.name).write_bytes(FICTIONAL.read_bytes())  # issue 20
    deck_file.write_text(
        draft_to_yaml(result, text_path=FICTIONAL.name), encoding="utf-8"
    )
    library = Library.in_memory()
    try:
        (summary,) = library.import_paths([deck_file])
    finally:
        library.close()

    assert summary.deck_id == "doc-draft"
    assert summary.added == len(result.cards)


def test_empty_draft_is_not_written_as_a_deck() -> None:
    result = draft_deck("Nothing to see.\n", source_id="doc")

    with pytest.raises(StudyAppError, match="nothing to draft: title: not found"):
        draft_to_yaml(result, text_path="doc.txt")


def test_draft_yaml_lists_warnings_as_comments() -> None:
    text = draft_to_yaml(_draft(FICTIONAL), text_path="article.txt")

    assert text.startswith("# Draft deck from article.txt")
    assert "# warning: reference 7 (line 53): no year found" in text
