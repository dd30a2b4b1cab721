"""The card search language (Anki-like): parsed here, turned into SQL in the store.

Grammar, loosest binding first::

    query  := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*        -- terms side by side must all hold
    unary  := "-" unary | "(" or_expr ")" | term
    term   := word | "exact phrase" | key:value | key:"quoted value"

Free words and phrases match a card's own text (front, back, cloze), case-
insensitively; ``*`` in them matches any run of characters. Keys: ``deck:``
(a parent deck includes ``parent::child`` decks), ``tag:``, ``kind:``,
``type:``, ``section:``, ``source:``, ``is:`` (new, learn, review, due,
suspended, buried, flagged), ``flag:N``, ``rated:N`` (answered in the last N
days, today being 1), ``prop:`` comparisons (``r``, ``s``, ``d``,
``lapses``, ``reps``, ``ivl``, ``due`` in days from today) and ``cid:1,2``
(review card ids, as the browser opens on the card under review).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.core.errors import StudyAppError
from studyapp.core.query import And, Field, Node, Not, Or, Prop, Text

FIELD_KEYS = ("deck", "tag", "kind", "type", "section", "source")
IS_VALUES = ("new", "learn", "review", "due", "suspended", "buried", "flagged")
PROP_NAMES = ("r", "s", "d", "lapses", "reps", "ivl", "due")
_PROP = re.compile(r"^(r|s|d|lapses|reps|ivl|due)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$")
_KEY = re.compile(r"^([a-z]+):(.*)$", re.DOTALL)


class SearchError(StudyAppError):
    """A query that cannot be read; says where and what to write instead."""

    def __init__(self, query: str, column: int, message: str) -> None:
        super().__init__(f"search, column {column + 1}: {message} (in: {query})")
        self.column = column
        self.reason = message


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "-", "OR", "AND", "term"
    text: str
    column: int
    quoted: bool = False


def parse(query: str) -> Node | None:
    """Parse a query; None for an empty one (every card).

    Raises:
        SearchError: Unbalanced quotes or parentheses, an unknown key or value.
    """
    tokens = _tokenize(query)
    if not tokens:
        return None
    parser = _Parser(query, tokens)
    node = parser.or_expr()
    if parser.at < len(tokens):
        token = tokens[parser.at]
        raise SearchError(query, token.column, f"unexpected '{token.text}'")
    return node


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(query):
        char = query[at]
        if char.isspace():
            at += 1
        elif char in "()":
            tokens.append(_Token(char, char, at))
            at += 1
        elif char == "-" and at + 1 < len(query) and not query[at + 1].isspace():
            tokens.append(_Token("-", "-", at))
            at += 1
        else:
            start = at
            text, at, quoted = _read_term(query, at)
            kind = text if not quoted and text in ("OR", "AND") else "term"
            tokens.append(_Token(kind, text, start, quoted))
    return tokens


def _read_term(query: str, at: int) -> tuple[str, int, bool]:
    """One term from ``at``: a bare word, a "phrase", or key:"quoted value"."""
    start = at
    parts: list[str] = []
    quoted = False
    while at < len(query) and not query[at].isspace() and query[at] not in "()":
        if query[at] == '"':
            end = query.find('"', at + 1)
            if end < 0:
                raise SearchError(query, at, 'a quote (") is not closed')
            parts.append(query[at + 1 : end])
            quoted = quoted or at == start
            at = end + 1
        else:
            parts.append(query[at])
            at += 1
    return "".join(parts), at, quoted


class _Parser:
    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def or_expr(self) -> Node:
        terms = [self.and_expr()]
        while (token := self._peek()) is not None and token.kind == "OR":
            self.at += 1
            terms.append(self.and_expr())
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def and_expr(self) -> Node:
        terms = [self.unary()]
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.at += 1
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def unary(self) -> Node:
        token = self._peek()
        if token is None:
            end = len(self.query)
            raise SearchError(self.query, end, "the query ends where a term should be")
        self.at += 1
        if token.kind == "-":
            return Not(self.unary())
        if token.kind == "(":
            node = self.or_expr()
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise SearchError(self.query, token.column, "'(' is not closed")
            self.at += 1
            return node
        if token.kind == "term":
            return _term(self.query, token)
        raise SearchError(
            self.query, token.column, f"'{token.text}' needs a term before and after"
        )


def _term(query: str, token: _Token) -> Node:
    if token.quoted:
        return Text(token.text)
    match = _KEY.match(token.text)
    if match is None:
        return Text(token.text)
    key, value = match.group(1), match.group(2)
    if not value:
        raise SearchError(query, token.column, f"'{key}:' needs a value")
    if key in FIELD_KEYS:
        return Field(key, value)
    if key == "is":
        if value.lower() not in IS_VALUES:
            known = ", ".join(IS_VALUES)
            raise SearchError(query, token.column, f"is:{value}? known: {known}")
        return Field("is", value.lower())
    if key in ("flag", "rated"):
        return _number_field(query, token, key, value)
    if key == "cid":
        if not all(part.isdigit() for part in value.split(",")):
            raise SearchError(query, token.column, f"cid:{value}? expected card ids")
        return Field("cid", value)
    if key == "prop":
        prop = _PROP.match(value.lower())
        if prop is None:
            names = ", ".join(PROP_NAMES)
            raise SearchError(
                query,
                token.column,
                f"prop:{value}? write a property ({names}), a comparison "
                "(< <= > >= = !=) and a number, e.g. prop:lapses>3",
            )
        return Prop(prop.group(1), prop.group(2), float(prop.group(3)))
    keys = ", ".join((*FIELD_KEYS, "is", "flag", "rated", "prop", "cid"))
    raise SearchError(
        query,
        token.column,
        f"unknown key '{key}:' (known: {keys}); to search for the text, "
        'put it in quotes: "' + token.text + '"',
    )


def _number_field(query: str, token: _Token, key: str, value: str) -> Field:
    head = value.split(":", 1)[0]
    if not head.isdigit() or (key == "flag" and int(head) > 7):
        wanted = "0 to 7" if key == "flag" else "a number of days, e.g. rated:7"
        raise SearchError(query, token.column, f"{key}:{value}? expected {wanted}")
    if key == "rated" and ":" in value:
        rating = value.split(":", 1)[1]
        if rating not in ("1", "2", "3", "4"):
            raise SearchError(
                query, token.column, f"rated:{value}? the answer is 1 to 4"
            )
    return Field(key, value)
