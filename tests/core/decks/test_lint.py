# Cards here quote the review's text verbatim, en dashes included.
# ruff: noqa: RUF001
"""The deck linter: a card that breaks each rule, and one that must pass it.

Every example is written from the bundled review's own sentences, and each
deck is checked against the real source text (resources/sources/).
"""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from studyapp.cli import main
from studyapp.core.decks.lint import REPEAT_LIMIT, LintReport, lint_paths
from studyapp.core.decks.reader import load_deck
from studyapp.core.errors import DeckError

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "resources" / "sources" / "pedersen-2019.txt"

KP2 = (
    "Myokines mediate muscle–organ crosstalk to the liver, gut, pancreas, "
    "adipose tissue, bone, vascular bed, skin and brain."
)
KP3 = (
    "Cathepsin B is an exercise-induced myokine required for exercise-induced "
    "improvement in memory and adult neurogenesis."
)
KP4 = (
    "Exercise enhances neuronal gene expression of FNDC5, the protein product of "
    "which might stimulate brain-derived neurotrophic factor in the hippocampus."
)
KP5 = (
    "Serum levels of the myokine IL-6 increase with exercise, and this myokine "
    "might regulate central mechanisms for food intake."
)
KP6 = (
    "Exercise increases muscular expression of kynurenine aminotransferases, "
    "which convert blood levels of neurotoxic kynurenine to the neuroprotective "
    "kynurenic acid, thereby reducing depression-like symptoms."
)
CATHEPSIN = (
    "enhance brain-derived neurotrophic factor production and hence "
    "neurogenesis, memory and learning."
)
REF56 = "Endurance training enhances BDNF release from the human brain."
REF53 = (
    "Hippocampal BDNF mediates the efficacy of exercise on synaptic plasticity "
    "and cognition."
)
REF54 = "Exercise induces BDNF and synapsin I to specific hippocampal subfields."


def card(card_id: str, quote: str, **fields: Any) -> dict[str, Any]:
    fields.setdefault("tags", ["test"])
    section = "References" if quote in (REF53, REF54, REF56) else "Key points"
    return {
        "id": card_id,
        **fields,
        "source": {"ref": "pedersen-2019", "section": section, "quote": quote},
    }


def write_deck(folder: Path, cards: list[dict[str, Any]], name: str = "t") -> Path:
    if not (folder / "pedersen-2019.txt").exists():
        shutil.copy(SOURCE, folder / "pedersen-2019.txt")
    deck = {
        "deck": {"id": f"test-{name}", "title": "Test", "kind": "key_point"},
        "sources": [
            {"id": "pedersen-2019", "title": "Review", "text": "pedersen-2019.txt"}
        ],
        "cards": cards,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False))
    return path


def lint(tmp_path: Path, *cards: dict[str, Any]) -> LintReport:
    return lint_paths([write_deck(tmp_path, list(cards))])


def rules_of(report: LintReport, card_id: str) -> set[str]:
    return {w.rule for w in report.warnings if w.card == card_id}


# --- overloaded answer ---------------------------------------------------------


def test_an_eight_item_list_is_overloaded(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        card(
            "organs",
            KP2,
            front="To which organs do myokines mediate muscle–organ crosstalk?",
            back="The liver, gut, pancreas, adipose tissue, bone, vascular bed, "
            "skin and brain.",
        ),
    )

    assert rules_of(report, "organs") == {"overloaded-answer"}
    assert "8 items" in report.warnings[0].message


def test_a_three_item_answer_is_not_overloaded(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        card(
            "effect",
            CATHEPSIN,
            front="What is the myokine cathepsin B thought to lead to, through "
            "brain-derived neurotrophic factor?",
            back="Neurogenesis, memory and learning.",
        ),
    )

    assert report.warnings == ()


def test_a_back_of_three_sentences_is_overloaded(tmp_path: Path) -> None:
    report = lint(
        tmp_path,
        card(
            "long",
            KP6,
            front="What do kynurenine aminotransferases do?",
            back="They convert kynurenine. The product is kynurenic acid. That "
            "might reduce depression-like symptoms.",
        ),
    )

    assert "overloaded-answer" in rules_of(report, "long")


def test_a_cloze_hiding_one_item_of_a_long_list_is_overloaded(
    tmp_path: Path,
) -> None:
    bad = card(
        "organs",
        KP2,
        cloze="Myokines mediate muscle–organ crosstalk to the liver, {{c1::gut}}, "
        "pancreas, adipose tissue, bone, vascular bed, skin and brain.",
    )
    good = card(
        "memory",
        KP3,
        cloze="Cathepsin B is an exercise-induced myokine required for "
        "exercise-induced improvement in {{c1::memory}} and adult neurogenesis.",
    )

    report = lint(tmp_path, bad, good)

    assert rules_of(report, "organs") == {"overloaded-answer"}
    assert rules_of(report, "memory") == set()


def test_a_cloze_hiding_a_group_of_a_long_list_is_not_overloaded(
    tmp_path: Path,
) -> None:
    grouped = card(
        "organs",
        KP2,
        cloze="Myokines mediate muscle–organ crosstalk to the {{c1::liver, gut, "
        "pancreas}}, {{c2::adipose tissue, bone, vascular bed}}, {{c3::skin and "
        "brain}}.",
    )

    assert lint(tmp_path, grouped).warnings == ()


# --- answer given away in the question ----------------------------------------


def test_a_finding_whose_front_names_the_result_gives_it_away(
    tmp_path: Path,
) -> None:
    bad = card(
        "seifert",
        REF56,
        front="What did Seifert et al. find about endurance training and BDNF release?",
        back=REF56,
    )
    good = card(
        "seifert-good",
        REF56,
        front="In the 2010 study by Seifert et al., what enhanced BDNF release "
        "from the human brain?",
        back="Endurance training.",
    )

    report = lint(tmp_path, bad, good)

    assert rules_of(report, "seifert") == {"answer-in-question"}
    assert rules_of(report, "seifert-good") == set()


def test_a_reversed_card_whose_definition_names_the_term(tmp_path: Path) -> None:
    quote = (
        "Cytokines or peptides produced by skeletal muscle cells and "
        "subsequently released into the circulation"
    )
    bad = card(
        "myokine-bad",
        quote,
        type="reversed",
        front="Myokine",
        back="A myokine is a cytokine or peptide produced by skeletal muscle cells.",
    )
    good = card(
        "myokine-good",
        quote,
        type="reversed",
        front="Myokines",
        back="Cytokines or peptides produced by skeletal muscle cells and released "
        "into the circulation.",
    )

    report = lint(tmp_path, bad, good)

    assert rules_of(report, "myokine-bad") == {"answer-in-question"}
    assert rules_of(report, "myokine-good") == set()


# --- two questions in one front -------------------------------------------------


def test_two_questions_in_one_front(tmp_path: Path) -> None:
    bad = card(
        "il6-two",
        KP5,
        front="Serum levels of which myokine increase with exercise, and what "
        "might this myokine regulate?",
        back="IL-6; it might regulate central mechanisms for food intake.",
    )
    also_bad = card(
        "fndc5-two",
        KP4,
        front="What might the protein product of FNDC5 stimulate? Where?",
        back="Brain-derived neurotrophic factor, in the hippocampus.",
    )
    with_preposition = card(
        "kyn-two",
        KP6,
        front="What do kynurenine aminotransferases do, and with what result?",
        back="They convert kynurenine to kynurenic acid; depression-like symptoms "
        "might be reduced.",
    )
    good = card(
        "il6-one",
        KP5,
        front="Serum levels of which myokine increase with exercise?",
        back="IL-6.",
    )

    report = lint(tmp_path, bad, also_bad, with_preposition, good)

    assert rules_of(report, "il6-two") == {"two-questions"}
    assert rules_of(report, "kyn-two") == {"two-questions"}
    assert rules_of(report, "fndc5-two") == {"two-questions"}
    # The quote hedges its second clause ("might regulate"), not the first.
    assert rules_of(report, "il6-one") == set()


# --- hedge dropped ------------------------------------------------------------


def test_a_card_that_drops_the_sources_hedge(tmp_path: Path) -> None:
    bad = card(
        "cathepsin-bad",
        CATHEPSIN,
        front="What does the cathepsin B-driven increase in brain-derived "
        "neurotrophic factor production lead to?",
        back="Neurogenesis, memory and learning.",
    )
    fndc5_bad = card(
        "fndc5-bad",
        KP4,
        front="Where does the protein product of FNDC5 stimulate brain-derived "
        "neurotrophic factor?",
        back="In the hippocampus.",
    )
    good = card(
        "cathepsin-good",
        CATHEPSIN,
        front="According to accumulating evidence, what does the cathepsin "
        "B-driven increase in brain-derived neurotrophic factor lead to?",
        back="Neurogenesis, memory and learning.",
    )
    fndc5_good = card(
        "fndc5-good",
        KP4,
        front="Where might the protein product of FNDC5 stimulate brain-derived "
        "neurotrophic factor?",
        back="In the hippocampus.",
    )

    report = lint(tmp_path, bad, fndc5_bad)
    good_report = lint(tmp_path, good, fndc5_good)

    assert rules_of(report, "cathepsin-bad") == {"hedge-dropped"}
    assert "Evidence is accumulating" in report.warnings[0].message
    assert rules_of(report, "fndc5-bad") == {"hedge-dropped"}
    assert good_report.warnings == ()


def test_a_definition_that_says_can_be_defined_is_not_a_hedge(
    tmp_path: Path,
) -> None:
    quote = (
        "Browning can be defined as any substantial increase in the expression "
        "of uncoupling protein 1 (UCP1) at the mRNA level"
    )
    report = lint(
        tmp_path,
        card(
            "browning",
            quote,
            front="What is browning, at the mRNA level?",
            back="Any substantial increase in the expression of uncoupling protein 1.",
        ),
    )

    assert report.warnings == ()


# --- clozes ---------------------------------------------------------------------


def test_a_cloze_whose_deletion_stands_elsewhere_in_it(tmp_path: Path) -> None:
    bad = card(
        "kyn-bad",
        KP6,
        cloze="Exercise increases muscular expression of {{c1::kynurenine "
        "aminotransferases}}, which convert blood levels of neurotoxic kynurenine "
        "to the neuroprotective kynurenic acid.",
    )
    good = card(
        "cathepsin",
        KP3,
        cloze="{{c1::Cathepsin B}} is an exercise-induced myokine required for "
        "exercise-induced improvement in memory and adult neurogenesis.",
    )

    report = lint(tmp_path, bad, good)

    assert rules_of(report, "kyn-bad") == {"cloze-guessable"}
    assert "kynurenine" in report.warnings[0].message
    assert rules_of(report, "cathepsin") == set()


def test_sibling_deletions_that_answer_each_other(tmp_path: Path) -> None:
    text = (
        "Exercise increases muscular expression of kynurenine aminotransferases, "
        "which convert blood levels of {{c1::neurotoxic}} kynurenine to the "
        "{{c2::neuroprotective}} kynurenic acid."
    )
    bad = card("siblings", KP6, cloze=text)
    good = card("one-number", KP6, cloze=text.replace("c2::", "c1::"))

    assert rules_of(lint(tmp_path, bad), "siblings") == {"cloze-siblings"}
    assert lint(tmp_path, good).warnings == ()


# --- near duplicates and repetition -----------------------------------------------


def test_near_duplicate_fronts_across_decks(tmp_path: Path) -> None:
    first = write_deck(
        tmp_path,
        [
            card(
                "a",
                KP3,
                front="Which exercise-induced myokine is required for "
                "improvement in memory?",
                back="Cathepsin B.",
            )
        ],
        name="one",
    )
    second = write_deck(
        tmp_path,
        [
            card(
                "b",
                KP3,
                front="Which exercise-induced myokine is required for "
                "the improvement in memory?",
                back="Cathepsin B.",
            ),
            card(
                "c",
                KP3,
                front="Cathepsin B is required for the "
                "exercise-induced improvement of which two things?",
                back="Memory and adult neurogenesis.",
            ),
        ],
        name="two",
    )

    report = lint_paths([first, second])

    assert rules_of(report, "b") == {"near-duplicate"}
    assert "test-one" in report.warnings[0].message
    assert rules_of(report, "a") == rules_of(report, "c") == set()


def test_one_sentence_asked_too_often(tmp_path: Path) -> None:
    def asking(n: int) -> dict[str, Any]:
        return card(
            f"q{n}",
            KP6,
            front=f"Question {n} on kynurenine aminotransferases: what do they "
            f"convert ({'x' * n})?",
            back="Neurotoxic kynurenine.",
        )

    enough = lint(tmp_path, *[asking(n) for n in range(REPEAT_LIMIT)])
    too_many = lint(tmp_path, *[asking(n) for n in range(REPEAT_LIMIT + 1)])

    assert not any(w.rule == "fact-repeated" for w in enough.warnings)
    assert [w.card for w in too_many.warnings if w.rule == "fact-repeated"] == [
        f"q{REPEAT_LIMIT}"
    ]


# --- mechanism steps ----------------------------------------------------------------


def test_steps_the_quote_does_not_support(tmp_path: Path) -> None:
    quote = (
        "Exercise increases neuronal gene expression of FNDC5 (which encodes the "
        "PGC1α-dependent myokine FNDC5), which can likewise contribute to "
        "increased brain-derived neurotrophic factor levels."
    )
    steps_bad = [
        "Exercise",
        "Neuronal gene expression of FNDC5 increases",
        "Brain-derived neurotrophic factor increases in the hippocampus",
    ]
    steps_good = [
        "Exercise increases neuronal gene expression of FNDC5",
        "FNDC5 can contribute to increased brain-derived neurotrophic factor levels",
    ]
    bad = card(
        "chain-bad",
        quote,
        kind="mechanism",
        front="Trace the FNDC5 pathway.",
        back=" → ".join(steps_bad),
        steps=steps_bad,
    )
    good = card(
        "chain-good",
        quote,
        kind="mechanism",
        front="Trace the FNDC5 pathway.",
        back=" → ".join(steps_good),
        steps=steps_good,
    )

    report = lint(tmp_path, bad)
    bad_found = {(w.rule, w.message.split(" ")[1]) for w in report.warnings}

    assert ("filler-step", "1") in bad_found
    assert ("step-unsupported", "3") in bad_found
    assert "hippocampu" in next(
        w.message for w in report.warnings if w.rule == "step-unsupported"
    )
    assert lint(tmp_path, good).warnings == ()


# --- context ---------------------------------------------------------------------


def test_a_front_that_needs_context(tmp_path: Path) -> None:
    bad = card(
        "context-bad",
        KP4,
        front="What does this type of exercise enhance in neurons?",
        back="Gene expression of FNDC5.",
    )
    back_bad = card(
        "back-bad",
        "The terms ‘exercise’ and ‘exercise training’ are used interchangeably",
        front="Which two terms does the review use interchangeably?",
        back="‘Exercise’ and ‘exercise training’, for this specific type of activity.",
    )
    good = card(
        "context-good",
        "Exercise increases neuronal gene expression of FNDC5",
        front="Exercise increases neuronal gene expression of FNDC5. Which "
        "myokine does this gene encode?",
        back="FNDC5.",
    )

    report = lint(tmp_path, bad, back_bad, good)

    assert rules_of(report, "context-bad") == {"needs-context"}
    assert rules_of(report, "back-bad") == {"needs-context"}
    assert rules_of(report, "context-good") == set()


# --- silencing, positions, schema, command line ------------------------------------


def test_a_card_silences_a_rule_with_a_reason(tmp_path: Path) -> None:
    discrimination = card(
        "toxicity",
        "convert blood levels of neurotoxic kynurenine to the neuroprotective "
        "kynurenic acid",
        front="Of kynurenine and kynurenic acid, which is neurotoxic?",
        back="Kynurenine.",
    )
    silenced = dict(
        card(
            "il6-two",
            KP5,
            front="Serum levels of which myokine increase, and what might it regulate?",
            back="IL-6; central mechanisms for food intake.",
        ),
        lint={"ignore": ["two-questions"], "why": "kept as one card to test it"},
    )

    report = lint(tmp_path, discrimination, silenced)

    assert report.warnings == ()
    assert [(w.card, w.rule, w.why) for w in report.silenced] == [
        ("il6-two", "two-questions", "kept as one card to test it")
    ]


def test_warnings_point_at_the_line_and_column_of_the_field(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path,
        [
            card(
                "fine",
                KP5,
                front="Serum levels of which myokine increase with exercise?",
                back="IL-6.",
            ),
            card("two", KP5, front="Which myokine, and where?", back="IL-6, serum."),
        ],
    )
    lines = path.read_text().splitlines()

    (warning,) = lint_paths([path]).warnings

    assert warning.file == str(path)
    assert lines[warning.line - 1][warning.column - 1 :].startswith(
        "Which myokine, and where?"
    )
    assert lines[warning.line - 2].strip() == "- id: two"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"ignore": ["no-such-rule"], "why": "a good reason"}, "unknown rule"),
        ({"ignore": ["two-questions"]}, "missing 'why'"),
        ({"ignore": ["two-questions"], "why": "ok"}, "say in a few words"),
        ({"why": "a good reason here"}, "missing 'ignore'"),
        ({"ignore": ["two-questions"], "why": "x y z", "also": 1}, "unknown key"),
    ],
)
def test_the_deck_schema_checks_the_lint_key(
    tmp_path: Path, setting: dict[str, Any], message: str
) -> None:
    path = write_deck(
        tmp_path, [dict(card("a", KP3, front="Q?", back="A."), lint=setting)]
    )

    with pytest.raises(DeckError) as error:
        load_deck(path)

    assert message in str(error.value)
    assert error.value.problems[0].line > 1


def test_lint_command_json_and_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_deck(
        tmp_path,
        [card("two", KP5, front="Which myokine, and where?", back="IL-6.")],
        name="bad",
    )
    good = write_deck(
        tmp_path,
        [
            card(
                "one",
                KP3,
                front="Which myokine is required for exercise-induced "
                "improvement in memory?",
                back="Cathepsin B.",
            )
        ],
        name="good",
    )

    assert main(["lint", str(bad), "--json"]) == 1
    (found,) = json.loads(capsys.readouterr().out)
    assert main(["lint", str(good)]) == 0
    assert main(["validate", "--lint", str(bad)]) == 0  # warnings are not errors
    printed = capsys.readouterr().out

    assert {key: found[key] for key in ("file", "card", "rule")} == {
        "file": str(bad),
        "card": "two",
        "rule": "two-questions",
    }
    assert found["line"] > 1
    assert found["message"]
    assert found["fix"]
    assert f"{bad}:{found['line']}:{found['column']}: card 'two': two-questions" in (
        printed
    )


def test_a_deck_that_does_not_load_is_a_problem_not_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_deck(
        tmp_path, [card("a", "not in the review at all", front="Q?", back="A.")]
    )

    report = lint_paths([path])

    assert report.warnings == ()
    assert "quote not found" in report.problems[0].message
    assert main(["lint", str(path)]) == 1
