"""Key points as real questions: "Myokines mediate X." -> "What do myokines mediate?".

No language model: the sentence is split at its first finite verb from a list
of verbs articles use; the part before is the subject. When no verb is found
the caller falls back to a cloze of a term the document defines.
"""

from __future__ import annotations

import re

_VERBS = [
    "act",
    "activate",
    "affect",
    "alter",
    "block",
    "cause",
    "change",
    "contribute",
    "control",
    "convert",
    "decrease",
    "determine",
    "disrupt",
    "drive",
    "enable",
    "encode",
    "enhance",
    "impair",
    "improve",
    "increase",
    "induce",
    "influence",
    "inhibit",
    "link",
    "lower",
    "mediate",
    "modulate",
    "predict",
    "prevent",
    "promote",
    "protect",
    "raise",
    "realign",
    "reduce",
    "regulate",
    "release",
    "require",
    "restore",
    "reverse",
    "secrete",
    "send",
    "sense",
    "set",
    "shift",
    "signal",
    "stimulate",
    "suppress",
    "trigger",
    "depend",
    "lead",
    "limit",
    "protect",
    "mark",
    "shape",
    "couple",
    "lose",
    "gain",
    "rise",
    "fall",
    "respond",
    "bind",
    "express",
    "produce",
    "target",
    "form",
    "contain",
    "reflect",
    "involve",
    "correlate",
    "support",
]
_IRREGULAR_3SG = {"is": "be", "are": "be", "has": "have", "have": "have", "does": "do"}
# Verbs that take a clause ("makes X do Y", "suggests that"): no simple question.
_OTHER_VERBS = frozenset(
    [
        "makes",
        "make",
        "allows",
        "allow",
        "helps",
        "help",
        "shows",
        "show",
        "suggests",
        "suggest",
        "remains",
        "remain",
        "becomes",
        "become",
        "provides",
        "provide",
        "appears",
        "appear",
        "seems",
        "seem",
        "lets",
        "let",
        "indicates",
        "indicate",
        "demonstrates",
        "demonstrate",
    ]
)
_CHANGE = ("increase", "decrease", "rise", "fall", "change")
_MODALS = ("can", "may", "might", "could", "will", "would", "should", "must")


def _forms() -> dict[str, tuple[str, str]]:
    """Each verb form -> (base, tense) with tense "3sg", "plural" or "past"."""
    forms: dict[str, tuple[str, str]] = {}
    for base in _VERBS:
        if base.endswith(("s", "sh", "ch", "x", "z")):
            third = base + "es"
        elif base.endswith("y") and base[-2] not in "aeiou":
            third = base[:-1] + "ies"
        else:
            third = base + "s"
        if base.endswith("e"):
            past = base + "d"
        elif base.endswith("y") and base[-2] not in "aeiou":
            past = base[:-1] + "ied"
        else:
            past = base + "ed"
        forms[third] = (base, "3sg")
        forms[base] = (base, "plural")
        forms[past] = (base, "past")
    forms["set"] = ("set", "plural")
    forms["sent"] = ("send", "past")
    forms["led"] = ("lead", "past")
    return forms


_FORMS = _forms()
_WORD = re.compile(r"[\w\u2019'-]+|[^\w\s]")


def key_point_question(point: str) -> tuple[str, str] | None:
    """A question a key point answers, and the part of it that answers.

    Returns:
        (question, answer) or None when the sentence has no verb we know.
    """
    sentence = point.strip().rstrip(".")
    sentence = re.sub(r",\s(?:not|but not|rather than)\s[^,]{1,40},\s", " ", sentence)
    words = sentence.split()
    if len(words) < 4:
        return None
    for index in range(1, min(len(words) - 1, 14)):
        word = words[index].lower().strip(",;")
        previous = words[index - 1]
        if previous.endswith((",", ";", ":")) or word in _OTHER_VERBS:
            return None  # no plain subject before the verb
        subject = " ".join(words[:index]).rstrip(",")
        rest = " ".join(words[index + 1 :])
        if word in ("is", "are", "was", "were"):
            return _be_question(subject, word, rest)
        if word in _MODALS and index + 1 < len(words):
            return _modal_question(subject, word, words[index + 1 :])
        form = _FORMS.get(word)
        if form is None or words[index - 1].lower() in ("the", "a", "an", "of"):
            continue
        base, tense = form
        if tense == "plural" and _looks_singular(subject):
            continue
        if tense == "past" and rest.lower().startswith("by "):
            continue  # a participle: "glacin secreted by the gut increases"
        if base in _CHANGE and re.match(r"(?:with|after|during|in)\s", rest):
            how = {"3sg": "does", "plural": "do", "past": "did"}[tense]
            context = re.split(r"[,;]", rest, maxsplit=1)[0]
            return f"How {how} {_lower(subject)} change {context}?", point
        aux = {"3sg": "does", "plural": "do", "past": "did"}[tense]
        tail = _object_head(rest)
        if tail is None:
            return None
        return f"What {aux} {_lower(subject)} {base}{tail}?", rest
    return None


def _be_question(subject: str, verb: str, rest: str) -> tuple[str, str] | None:
    if not rest:
        return None
    clean_subject = re.sub(r",[^,]*,", "", subject).strip()
    if rest.lower().startswith("the "):  # "X is the main signal that sets Y"
        return f"What {verb} {rest}?", clean_subject
    if rest.lower().startswith(("a ", "an ")):
        return f"What {verb} {_lower(clean_subject)}?", rest
    return None


def _modal_question(
    subject: str, modal: str, after: list[str]
) -> tuple[str, str] | None:
    # skip adverbs: "can indirectly be sensed"
    index = 0
    while index < len(after) and after[index].lower().endswith("ly"):
        index += 1
    if index >= len(after) - 1:
        return None
    verb = after[index].lower()
    rest = " ".join(after[index + 1 :])
    adverbs = " ".join(after[:index])
    adverbs = f" {adverbs}" if adverbs else ""
    if verb == "be" and index + 1 < len(after):  # passive: "can be sensed by the brain"
        participle = after[index + 1]
        by = " ".join(after[index + 2 :])
        head = re.split(r"\s(?:via|through|by means of|using)\s", by, maxsplit=1)[0]
        question = f"How {modal} {_lower(subject)}{adverbs} be {participle}"
        question += f" {head}" if head and head != by else ""
        return question.rstrip(",") + "?", rest
    tail = _object_head(rest)
    if verb not in {base for base, _ in _FORMS.values()} or tail is None:
        return None
    return f"What {modal} {_lower(subject)}{adverbs} {verb}{tail}?", rest


def _object_head(rest: str) -> str | None:
    """Keep a preposition that belongs to the verb ("acts on"); drop the object."""
    if not rest:
        return None
    first = rest.split(" ", 1)[0].lower()
    return f" {first}" if first in ("on", "to", "with", "from", "into", "in") else ""


def _looks_singular(subject: str) -> bool:
    # the head noun comes before its modifiers: "levels of IL-6", "voles lacking X"
    head = re.split(
        r"\s(?:of|in|with|from|for|on|at|by|that|which|who|[a-z]+ing|[a-z]+ed)\s",
        subject + " ",
        maxsplit=1,
    )[0]
    last = head.split()[-1].lower()
    return not last.endswith("s") or last.endswith(("ss", "us", "is"))


def _lower(subject: str) -> str:
    first = subject.split(" ", 1)[0]
    if first[1:2].isupper() or any(c.isdigit() for c in first) or first.isupper():
        return subject  # an acronym or gene name keeps its case
    return subject[:1].lower() + subject[1:]
