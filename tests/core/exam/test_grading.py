import pytest

from studyapp.core.exam.grading import answer_forms, grade_typed

IDENTITY = "Their identity (motor neuron identity)."


def test_the_aside_in_brackets_is_an_answer_of_its_own() -> None:
    assert answer_forms(IDENTITY) == [
        "Their identity (motor neuron identity)",
        "Their identity",
        "motor neuron identity",
    ]
    assert grade_typed("motor neuron identity", IDENTITY).correct


@pytest.mark.parametrize(
    ("typed", "expected", "correct"),
    [
        ("motor neuron identity", IDENTITY, True),
        ("the motor-neuron identity!", IDENTITY, True),
        ("identity motor neuron", IDENTITY, True),  # short: any order
        ("a cathepsin b", "Cathepsin B.", True),
        ("B cathepsin", "Cathepsin B.", True),
        ("sensory neuron identity", IDENTITY, False),
        ("IL-8", "IL-6.", False),
        ("6 IL", "IL-6", True),
        (
            "lactate then pyruvate muscle in the",
            "Pyruvate then lactate in the muscle",
            False,
        ),
        ("", IDENTITY, False),
    ],
)
def test_key_content_decides(typed: str, expected: str, correct: bool) -> None:
    assert grade_typed(typed, expected).correct is correct


def test_a_wrong_answer_says_which_words_differ() -> None:
    grade = grade_typed("sensory neuron identity", IDENTITY)
    assert grade.closest == "motor neuron identity"
    assert grade.missing == ("motor",)
    assert grade.extra == ("sensory",)
