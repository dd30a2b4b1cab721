"""Cards from what the section readers found; every card quotes its passage."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from studyapp.core.authoring.glossary import Abbreviation, Entry
from studyapp.core.authoring.questions import key_point_question
from studyapp.core.authoring.references import short_authors
from studyapp.core.model import CardKind, CardSpec, CardType, SourceAnchor, Study

# Verbs that make a sentence state a link of a mechanism ("X increases Y").
CAUSAL = (
    r"increases?|increasing|induces?|inducing|enhances?|enhancing|"
    r"converts?|converting|stimulates?|stimulating|promotes?|promoting|"
    r"activates?|activating|suppress(?:es)?|suppressing|inhibits?|inhibiting|"
    r"reduces?|reducing|decreases?|decreasing|drives?|driving|"
    r"mediates?|mediating|regulates?|regulating|triggers?|triggering|"
    r"secretes?|secreting|releases?|releasing|causes?|causing|"
    r"contributes? to|contributing to|leads? to|leading to|disrupts?|disrupting|"
    r"raises?|raising|lowers?|lowering|protecting|blocks?|blocking"
)
_VERB = re.compile(rf"(?<![\w-])(?:{CAUSAL})(?![\w-])")
_JOINER = re.compile(
    r"(?:[\s,;]+|\b(?:which|that|and|thereby|hence|thus|can|could|might|may|"
    r"likewise|also|in turn|to|then|so)\b)+$"
)
_CHAIN_BREAK = re.compile(r",?\s+(?:and hence|thereby|thus|which in turn)\s+")
_PARALLEL = re.compile(
    r"(?:,\s*|\s)and(?:\s+(?:can|could|might|may|also|will|would))?\s*$"
)
_ARROWS = re.compile(r"\s*(?:→|->|⟶|=>)\s*")
RESULT_WORDS = re.compile(
    rf"(?<![\w-])(?:{CAUSAL}|is|are|was|were|does not|do not|protects?|"
    r"improves?|prevents?|rescues?|maintains?|modulates?|delays?|realigns?|"
    r"blocks?|varies|differ|loses?|lose|changes?|raises?|develops?|affects?|"
    r"sets?|requires?|couples?|links?)(?![\w-])"
)


def key_point_cards(
    points: list[str], ref: str, heading: str, *, legacy: bool, terms: list[str]
) -> tuple[list[CardSpec], list[tuple[str, str]]]:
    """One card per key point: a question it answers, else a cloze of a term.

    Returns:
        The cards and (card id, what to check) notes for the reviewer.
    """
    cards: list[CardSpec] = []
    notes: list[tuple[str, str]] = []
    for number, point in enumerate(points, start=1):
        card_id = f"key-point-{number}"
        anchor = SourceAnchor(ref, heading, point)
        tags = ("key-point", "draft")
        asked = None if legacy else key_point_question(point)
        cloze_term = None if legacy else _term_in(point, terms)
        if asked is not None:
            question, _ = asked
            cards.append(
                CardSpec(
                    card_id,
                    CardKind.KEY_POINT,
                    front=question,
                    back=point,
                    tags=tags,
                    source=anchor,
                )
            )
            notes.append(
                (card_id, "question made from the sentence: check it reads well")
            )
        elif cloze_term is not None:
            start = point.lower().find(cloze_term.lower())
            cloze_term = point[start : start + len(cloze_term)]
            cloze = (
                point[:start]
                + "{{c1::"
                + cloze_term
                + "}}"
                + point[start + len(cloze_term) :]
            )
            cards.append(
                CardSpec(
                    card_id,
                    CardKind.KEY_POINT,
                    type=CardType.CLOZE,
                    cloze=cloze,
                    tags=tags,
                    source=anchor,
                )
            )
            notes.append((card_id, f"cloze of the defined term {cloze_term!r}"))
        else:
            words = point.split()
            prompt = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
            cards.append(
                CardSpec(
                    card_id,
                    CardKind.KEY_POINT,
                    front=f"Key point {number}: complete the statement “{prompt}”",
                    back=point,
                    tags=tags,
                    source=anchor,
                )
            )
            if not legacy:
                notes.append((card_id, "no question found: rewrite the front"))
    return cards, notes


def _term_in(point: str, terms: list[str]) -> str | None:
    """The longest defined term the point names (a plural too), as written there."""
    found = []
    for term in terms:
        if len(term) > 2:
            match = re.search(rf"\b{re.escape(term)}(?:s|es)?\b", point, re.IGNORECASE)
            if match:
                found.append(match.group())
    return max(found, key=len) if found else None


def glossary_cards(entries: list[Entry], ref: str, heading: str) -> list[CardSpec]:
    """Term -> definition; reversed too unless the definition names the term."""
    ids: Counter[str] = Counter()
    cards = []
    for entry in entries:
        slug = slug_of(entry.name or entry.term) or "term"
        ids[slug] += 1
        card_id = slug if ids[slug] == 1 else f"{slug}-{ids[slug]}"
        names = [entry.term, entry.name, entry.abbreviation]
        # A reversed card shows the definition as the prompt; if the definition
        # names the term, that side would give the answer away.
        names_term = any(n and n.lower() in entry.definition.lower() for n in names)
        cards.append(
            CardSpec(
                id=card_id,
                kind=CardKind.GLOSSARY,
                type=CardType.BASIC if names_term else CardType.REVERSED,
                front=entry.term,
                back=entry.definition,
                tags=("glossary", "draft"),
                source=SourceAnchor(ref, heading, entry.definition),
            )
        )
    return cards


def abbreviation_cards(
    found: list[Abbreviation], ref: str, section_of: dict[str, str]
) -> list[CardSpec]:
    """One card per abbreviation: what it stands for."""
    cards = []
    seen: set[str] = set()
    for item in found:
        if item.short in seen:
            continue
        seen.add(item.short)
        cards.append(
            CardSpec(
                id=f"abbr-{slug_of(item.short)}",
                kind=CardKind.GLOSSARY,
                front=f"What does the abbreviation {item.short} stand for?",
                back=item.long,
                tags=("abbreviation", "draft"),
                source=SourceAnchor(ref, section_of.get(item.short, ""), item.quote),
            )
        )
    return cards


def states_result(title: str) -> bool:
    """Whether a study's title states what it found (not a topic or a question)."""
    if not title or title.rstrip().endswith("?"):
        return False
    head = title.split(":", 1)[0]
    return bool(RESULT_WORDS.search(head)) and not re.match(
        r"(?i)(?:how|why|whether|what|when|does|do|is|are|can)\b", head
    )


def finding_card(
    study: Study, quote: str, ref: str, heading: str, *, legacy: bool
) -> CardSpec | None:
    """A card asking what the study found, only when its title says."""
    number = study.reference
    result = states_result(study.title)
    tag = (
        "states-result"
        if (RESULT_WORDS.search(study.title) if legacy else result)
        else "background"
    )
    if not legacy and not result:
        return None
    who = f"{short_authors(study.authors)} ({study.year}; ref. {number})"
    return CardSpec(
        id=f"ref-{number}",
        kind=CardKind.FINDING,
        type=CardType.REVERSED if legacy else CardType.BASIC,
        front=who if legacy else f"What did {who} find?",
        back=study.title or quote,
        tags=("reference", tag, "draft"),
        study=study,
        source=SourceAnchor(ref, heading, quote),
    )


def chain(sentence: str, *, strict: bool = False) -> list[str]:
    """Split a sentence at its causal verbs: subject, then one step per verb.

    With ``strict``, two verbs joined by a plain "and" ("IL-6 increases with
    exercise and might contribute to ...") are two facts about one subject,
    not links of a chain: no chain is returned.
    """
    if _ARROWS.search(sentence):
        steps = [step.strip(" .") for step in _ARROWS.split(sentence)]
        return steps if all(steps) else []
    body = sentence.rstrip(".")
    # Verbs inside parentheses qualify a noun; they do not add a link.
    searchable = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), body)
    cuts = [m.start() for m in _VERB.finditer(searchable)]
    if not cuts:
        return []
    subject = body[: cuts[0]]
    if " that " in subject:  # "Evidence is accumulating that X ..."
        subject = subject.rsplit(" that ", 1)[1]
    pieces = [subject]
    segments = [body[b:e] for b, e in zip(cuts, [*cuts[1:], len(body)], strict=True)]
    if strict and any(_PARALLEL.search(part) for part in [subject, *segments[:-1]]):
        return []
    for segment in segments:
        pieces.extend(_CHAIN_BREAK.split(segment))
    steps = [_JOINER.sub("", piece).strip() for piece in pieces]
    if not steps[0]:
        return []
    steps = [steps[0], *(step for step in steps[1:] if step)]
    if len(steps) < 2 or any(len(step.split()) < 2 for step in steps[1:]):
        return []
    return steps


def mechanism_card(
    number: int, steps: list[str], sentence: str, ref: str, heading: str
) -> CardSpec:
    """Ask for the last link of a chain."""
    return CardSpec(
        id=f"mechanism-{number}",
        kind=CardKind.MECHANISM,
        front="Complete the mechanism: " + " → ".join([*steps[:-1], "…"]),
        back=" → ".join(steps),
        steps=tuple(steps),
        tags=("mechanism", "draft"),
        source=SourceAnchor(ref, heading, sentence),
    )


# An answer longer than this holds more than one fact (minimum information).
LONG_ANSWER_WORDS = 40
# A definition longer than this is too much to recall from its term backwards.
LONG_PROMPT_WORDS = 30


def one_way_if_long(card: CardSpec) -> CardSpec:
    """A glossary card is asked backwards only when its definition is short."""
    if card.type is CardType.REVERSED and len(card.back.split()) > LONG_PROMPT_WORDS:
        return dataclasses.replace(card, type=CardType.BASIC)
    return card


def minimum_information(cards: list[CardSpec]) -> dict[str, str]:
    """What breaks the minimum-information principle, by card id.

    A small stand-in for the deck linter of issue 16: long answers, answers
    that list many items, and prompts that hold the answer.
    """
    problems: dict[str, str] = {}
    for card in cards:
        words = len(card.back.split())
        found = []
        if words > LONG_ANSWER_WORDS:
            found.append(f"long answer ({words} words): split it into cards")
        elif card.back.count(",") >= 4 and card.kind is not CardKind.FINDING:
            found.append("the answer lists many items: ask for fewer")
        front = card.front.lower().rstrip("?")
        if card.back and front and card.back.lower().rstrip(".") in front:
            found.append("the prompt holds the answer")
        if found:
            problems[card.id] = "; ".join(found)
    return problems


def slug_of(text: str) -> str:
    """A card id made from text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
