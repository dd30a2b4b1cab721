from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from studyapp.core.library import Library
from studyapp.core.model import (
    CardKind,
    CardSpec,
    CardType,
    Deck,
    Rating,
    Source,
    SourceAnchor,
)
from studyapp.core.query import And, Field, Not, Or, Prop, Text
from studyapp.core.study.search import SearchError, parse


def _spec(note_id: str, front: str, back: str = "answer", **extra: object) -> CardSpec:
    return CardSpec(id=note_id, kind=CardKind.BASIC, front=front, back=back, **extra)  # type: ignore[arg-type]


@pytest.fixture
def lib(now: datetime) -> Iterator[Library]:
    """Decks bio, bio::cells (a child), biology (not a child) and chem."""
    library = Library.in_memory()
    anchor = SourceAnchor("doc", "Key points", "quoted")
    decks = [
        Deck(
            id="bio",
            title="Bio",
            sources=(Source("doc", "Doc", text="Something quoted here."),),
            cards=(
                _spec("mito", "What is the Mitochondrion?", tags=("cell", "energy")),
                _spec("ribo", "Ribosomes make what?", back="proteins", tags=("cell",)),
                CardSpec(
                    id="atp",
                    kind=CardKind.KEY_POINT,
                    type=CardType.CLOZE,
                    cloze="{{c1::ATP}} stores energy",
                    source=anchor,
                ),
            ),
        ),
        Deck(
            id="bio::cells",
            title="Cells",
            cards=(
                _spec("nucleus", "The nucleus holds DNA", tags=("cell::organelle",)),
            ),
        ),
        Deck(id="biology", title="Other", cards=(_spec("frog", "A frog is green"),)),
        Deck(
            id="chem",
            title="Chem",
            cards=(
                _spec("water", "Water is H2O; 100% wet", type=CardType.REVERSED),
                _spec("salt", "Salt is NaCl", tags=("ions",)),
            ),
        ),
    ]
    library.import_decks(decks, now=now)
    yield library
    library.close()


def notes(lib: Library, query: str, now: datetime) -> list[str]:
    rows = lib.cards.rows(lib.cards.find(query, now=now), now=now)
    return sorted(f"{r.note_id}#{r.ord}" for r in rows)


# Parsing -------------------------------------------------------------------


def test_terms_side_by_side_all_hold_and_or_binds_looser() -> None:
    assert parse("a b OR c") == Or((And((Text("a"), Text("b"))), Text("c")))
    assert parse("a (b OR c)") == And((Text("a"), Or((Text("b"), Text("c")))))
    assert parse("a AND b") == And((Text("a"), Text("b")))


def test_negation_applies_to_one_term_or_a_group() -> None:
    assert parse("-a b") == And((Not(Text("a")), Text("b")))
    assert parse("-(a OR b)") == Not(Or((Text("a"), Text("b"))))
    assert parse("-deck:x") == Not(Field("deck", "x"))
    assert parse("il-6") == Text("il-6")  # a dash inside a word is text


def test_quotes_make_phrases_and_quoted_values() -> None:
    assert parse('"exact phrase" or') == And((Text("exact phrase"), Text("or")))
    assert parse('section:"Key points"') == Field("section", "Key points")
    assert parse('"tag:not a key"') == Text("tag:not a key")
    assert parse('"OR"') == Text("OR")
    assert parse("prop:r<0.7") == Prop("r", "<", 0.7)
    assert parse("  ") is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"open', 'a quote (") is not closed'),
        ("(a b", "'(' is not closed"),
        ("a )", "unexpected ')'"),
        ("a OR", "the query ends where a term should be"),
        ("OR a", "'OR' needs a term before and after"),
        ("colour:red", "unknown key 'colour:'"),
        ("is:lost", "is:lost? known: new, learn"),
        ("flag:9", "flag:9? expected 0 to 7"),
        ("prop:x>1", "prop:x>1? write a property"),
        ("deck:", "'deck:' needs a value"),
    ],
)
def test_unreadable_queries_say_where_and_what(query: str, message: str) -> None:
    with pytest.raises(SearchError) as error:
        parse(query)
    assert message in str(error.value)


# Matching --------------------------------------------------------------------


def test_free_words_match_front_back_and_cloze_case_insensitively(
    lib: Library, now: datetime
) -> None:
    assert notes(lib, "MITOCHONDRION", now) == ["mito#0"]
    assert notes(lib, "proteins", now) == ["ribo#0"]  # the back
    assert notes(lib, "atp", now) == ["atp#1"]  # the cloze
    assert notes(lib, "100%", now) == ["water#0", "water#1"]  # % is literal
    assert notes(lib, "ribo*make", now) == ["ribo#0"]  # * matches anything


def test_phrase_and_words_differ(lib: Library, now: datetime) -> None:
    assert notes(lib, "is green", now) == ["frog#0"]  # both words, anywhere
    assert notes(lib, '"green is"', now) == []
    assert notes(lib, '"is green"', now) == ["frog#0"]


def test_or_and_precedence_and_parentheses(lib: Library, now: datetime) -> None:
    assert notes(lib, "deck:chem salt OR frog", now) == ["frog#0", "salt#0"]
    assert notes(lib, "deck:chem (salt OR frog)", now) == ["salt#0"]


def test_negation(lib: Library, now: datetime) -> None:
    assert notes(lib, "deck:chem -salt", now) == ["water#0", "water#1"]
    assert notes(lib, "-deck:bio -deck:chem", now) == ["frog#0"]


def test_parent_deck_includes_children_but_not_lookalikes(
    lib: Library, now: datetime
) -> None:
    assert notes(lib, "deck:bio", now) == ["atp#1", "mito#0", "nucleus#0", "ribo#0"]
    assert notes(lib, "deck:bio::cells", now) == ["nucleus#0"]
    assert notes(lib, "deck:bio*", now) == [
        "atp#1",
        "frog#0",
        "mito#0",
        "nucleus#0",
        "ribo#0",
    ]


def test_field_keys(lib: Library, now: datetime) -> None:
    assert notes(lib, "tag:cell", now) == ["mito#0", "nucleus#0", "ribo#0"]
    assert notes(lib, "tag:cell::organelle", now) == ["nucleus#0"]
    assert notes(lib, "tag:ENERGY", now) == ["mito#0"]
    assert notes(lib, "kind:key_point", now) == ["atp#1"]
    assert notes(lib, "type:reversed", now) == ["water#0", "water#1"]
    assert notes(lib, 'section:"key points"', now) == ["atp#1"]
    assert notes(lib, "section:key", now) == []  # a field matches whole
    assert notes(lib, "source:doc", now) == ["atp#1"]


def test_states_marks_and_ratings(lib: Library, now: datetime) -> None:
    assert len(notes(lib, "is:new", now)) == 8
    queue = lib.review_queue(["chem"], now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.answer(Rating.GOOD, now=now)
    answered = f"{card.note_id}#{card.ord}"
    assert notes(lib, "is:learn", now) == [answered]
    assert notes(lib, "rated:1", now) == [answered]
    assert notes(lib, "rated:1:3", now) == [answered]
    assert notes(lib, "rated:1:1", now) == []
    assert answered not in notes(lib, "is:new", now)
    assert notes(lib, "is:due", now + timedelta(hours=1)) == [answered]

    ids = lib.cards.find("deck:biology", now=now)
    lib.cards.suspend(ids)
    assert notes(lib, "is:suspended", now) == ["frog#0"]
    lib.cards.bury(lib.cards.find("salt", now=now), now=now)
    assert notes(lib, "is:buried", now) == ["salt#0"]
    assert notes(lib, "is:buried", now + timedelta(days=2)) == []
    lib.cards.flag(lib.cards.find("ribo", now=now), 3)
    assert notes(lib, "flag:3", now) == ["ribo#0"]
    assert notes(lib, "is:flagged", now) == ["ribo#0"]
    assert notes(lib, "-flag:0", now) == ["ribo#0"]


def test_prop_comparisons(lib: Library, now: datetime) -> None:
    salt = lib.cards.find("salt", now=now)
    lib.cards.set_due(salt, now + timedelta(days=2))
    assert notes(lib, "prop:due<=2", now) == ["salt#0"]
    assert notes(lib, "prop:due<=1", now) == []
    assert notes(lib, "prop:due>1 prop:ivl>=1", now) == ["salt#0"]
    # The card was last seen a day before its new due date, stability 1 day.
    assert notes(lib, "prop:s=1", now) == ["salt#0"]
    assert notes(lib, "prop:r<0.7", now + timedelta(days=30)) == ["salt#0"]
    assert notes(lib, "prop:r>0.7", now) == ["salt#0"]
    assert notes(lib, "prop:lapses>0", now) == []
    assert len(notes(lib, "prop:lapses=0", now)) == 8
    assert len(notes(lib, "-prop:r<0.7", now)) == 8  # new cards have no r


def test_sorting_by_a_column(lib: Library, now: datetime) -> None:
    ids = lib.cards.find("", now=now, order="note")
    rows = lib.cards.rows(ids, now=now)
    assert [r.note_id for r in rows][:3] == ["atp", "frog", "mito"]
    down = lib.cards.find("", now=now, order="note", descending=True)
    assert lib.cards.rows(down, now=now)[0].note_id == "water"
