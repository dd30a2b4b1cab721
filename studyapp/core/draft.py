"""Drafting a deck from a journal article's text: key points, glossary, references."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from studyapp.core.deckwriter import DeckDumper, card_to_data
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind, CardSpec, CardType, SourceAnchor, Study

ABSTRACT_HEADINGS = ("abstract", "summary")
KEY_POINT_HEADINGS = ("key points", "key messages", "highlights")
GLOSSARY_HEADINGS = ("glossary", "definitions", "key terms")
REFERENCE_HEADINGS = ("references", "bibliography", "literature cited")
# Page furniture that ends a section without being one of ours.
STOP_HEADINGS = (
    "acknowledgements",
    "acknowledgments",
    "author information",
    "additional information",
    "rights and permissions",
    "about this article",
    "cite this article",
    "download references",
    "ethics declarations",
    "supplementary information",
)
# Verbs that make an abstract sentence state a mechanism ("X increases Y").
_CAUSAL = (
    r"increases?|increasing|induces?|inducing|enhances?|enhancing|"
    r"converts?|converting|stimulates?|stimulating|promotes?|promoting|"
    r"activates?|activating|suppress(?:es)?|suppressing|inhibits?|inhibiting|"
    r"reduces?|reducing|decreases?|decreasing|drives?|driving|"
    r"mediates?|mediating|regulates?|regulating|triggers?|triggering|"
    r"secretes?|secreting|releases?|releasing|causes?|causing|"
    r"contributes? to|contributing to|leads? to|leading to"
)
_VERB = re.compile(rf"(?<![\w-])(?:{_CAUSAL})(?![\w-])")
# Words that join the links of a chain; they are trimmed off each step.
_JOINER = re.compile(
    r"(?:[\s,;]+|\b(?:which|that|and|thereby|hence|thus|can|could|might|may|"
    r"likewise|also|in turn|to|then|so)\b)+$"
)
_CHAIN_BREAK = re.compile(r",?\s+(?:and hence|thereby|thus)\s+")
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*\-\u2013]|\d{1,2}[.)])\s+(\S.*)$")
_NUMBERED = re.compile(r"^(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+(\S.*)$")
_LINKS = re.compile(
    r"^(?:(?:CAS|PubMed(?: Central)?|Google Scholar|Article|ADS|MathSciNet|"
    r"Crossref|Full Text)\s*)+$"
)
_SENTENCE_END = re.compile(r"[.?!)](?:[\u201d\u2019\"']?)$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z“\"(])")
_DOI = re.compile(
    r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+?)\.?(?=\s|$)"
)
_INITIALS = r"[A-Z][a-z]?\.(?:\s?-?[A-Z][a-z]?\.)*"
_NATURE_NAME = rf"[^\s,.&][^,.&]*?, {_INITIALS}"
_NATURE_LIST = (
    rf"{_NATURE_NAME}(?:, {_NATURE_NAME})*(?:,? & {_NATURE_NAME})?(?: et al\.)?"
)
_NATURE_AUTHORS = re.compile(rf"^(?P<a>{_NATURE_LIST})\s+(?P<rest>\S.*)$")
# "Moon HY", "de Vries M", "Ferreira-Lopes A"
_VANCOUVER_NAME = (
    r"(?:[a-z]+ )*[A-Z][\w'\u2019-]*(?: [A-Za-z][\w'\u2019-]*)*? [A-Z]{1,3}"
)
_VANCOUVER_LIST = rf"{_VANCOUVER_NAME}(?:, {_VANCOUVER_NAME})*(?:,? et al)?"
_VANCOUVER_AUTHORS = re.compile(rf"^(?P<a>{_VANCOUVER_LIST})\.\s+(?P<rest>\S.*)$")
_APA = re.compile(r"^(?P<a>.+?)\s+\((?P<year>\d{4})[a-z]?\)\.\s+(?P<rest>\S.*)$")
# "... Journal 24, 332-340 (2016)." and "... Journal 25 (Suppl. 3), 1-72 (2015)."
_NATURE_TAIL = re.compile(
    r"^(?P<pre>.*)\s(?P<vol>\d+)(?:\s*\([^)]*\))?\s*,\s*\S.*\((?P<year>\d{4})\)\.?$"
)
# "... J Fict Physiol. 2020;12(3):45-53." (Vancouver)
_VANCOUVER_TAIL = re.compile(
    r"^(?P<pre>.*?)\.?\s(?P<year>\d{4})(?:\s[A-Z][a-z]{2}(?:\s\d{1,2})?)?;"
)
# "... Journal, 24(3), 332-340." (APA, year already taken)
_APA_TAIL = re.compile(r"^(?P<pre>.*?),\s*\d+(?:\(\d+\))?,\s*\S+")
# "Title (Publisher, 2002)." books and chapters
_BOOK_TAIL = re.compile(r"^(?P<pre>.*)\s\((?P<pub>[^()]*?),\s*(?P<year>\d{4})\)\.?$")
# "Title. London: Publisher; 2001." (Vancouver books)
_VANCOUVER_BOOK = re.compile(
    r"^(?P<pre>.*?)\.\s[^.:;]+:\s(?P<pub>[^;]+);\s(?P<year>\d{4})\.?$"
)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_RESULT_WORDS = re.compile(
    rf"(?<![\w-])(?:{_CAUSAL}|is|are|was|were|does not|do not|protects?|"
    r"improves?|prevents?|rescues?|maintains?|modulates?|delays?|"
    r"blocks?|varies|differ|loses?|lose|changes?|raises?|develops?|affects?)(?![\w-])"
)
_SMALL_WORDS = frozenset({"of", "and", "the", "in", "for", "&", "de", "la", "et"})


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What the drafter found in a document.

    ``cards`` are ready for a deck file; each carries a ``source`` anchor whose
    quote is copied from the text. ``warnings`` list what was looked for and
    not found, or found but not understood; nothing is made up for them.
    """

    source_id: str
    title: str
    cards: tuple[CardSpec, ...]
    warnings: tuple[str, ...]

    def count(self, kind: CardKind) -> int:
        """Number of drafted cards of one kind."""
        return sum(1 for card in self.cards if card.kind is kind)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line in the text, for warnings
    text: str  # stripped


def draft_deck(text: str, *, source_id: str, title: str | None = None) -> DraftResult:
    """Draft cards from the text of a journal article's web page.

    Looks for the "Key points" list, the "Glossary" (term, then definition),
    the numbered "References" list and the mechanism sentences of the
    "Abstract" (X increases / induces / converts ... Y).

    Args:
        text: The document's plain text.
        source_id: The id the deck will give the document; cards' anchors
            refer to it.
        title: The document's title; found before the abstract when omitted.

    Returns:
        The drafted cards and a warning for everything that was not found.
    """
    lines = [
        _Line(number, stripped)
        for number, raw in enumerate(text.splitlines(), start=1)
        if (stripped := raw.strip())
    ]
    warnings: list[str] = []
    found_title = title or _find_title(lines)
    if not found_title:
        warnings.append("title: not found before an 'Abstract' heading; pass one")
    cards = [
        *_key_points(lines, source_id, warnings),
        *_glossary(lines, source_id, warnings),
        *_mechanisms(lines, source_id, warnings),
        *_references(lines, source_id, warnings),
    ]
    return DraftResult(
        source_id=source_id,
        title=found_title or source_id,
        cards=tuple(cards),
        warnings=tuple(warnings),
    )


def _heading_at(lines: list[_Line], names: tuple[str, ...]) -> int | None:
    for index, line in enumerate(lines):
        if line.text.lower().rstrip(":") in names:
            return index
    return None


def _is_heading(line: _Line) -> bool:
    name = line.text.lower().rstrip(":")
    known = (
        ABSTRACT_HEADINGS
        + KEY_POINT_HEADINGS
        + GLOSSARY_HEADINGS
        + REFERENCE_HEADINGS
        + STOP_HEADINGS
    )
    return name in known


def _find_title(lines: list[_Line]) -> str:
    start = _heading_at(lines, ABSTRACT_HEADINGS)
    if not start:
        return ""
    candidate = lines[start - 1].text
    if len(candidate.split()) <= 25 and not _SENTENCE_END.search(candidate):
        return candidate
    return ""


def _key_points(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, KEY_POINT_HEADINGS)
    if start is None:
        warnings.append("key points: no 'Key points' heading")
        return []
    heading = lines[start].text.rstrip(":")
    cards: list[CardSpec] = []
    for line in lines[start + 1 :]:
        match = _BULLET.match(line.text)
        if not match or _is_heading(line):
            break
        point = match.group(1)
        number = len(cards) + 1
        words = point.split()
        prompt = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
        cards.append(
            CardSpec(
                id=f"key-point-{number}",
                kind=CardKind.KEY_POINT,
                front=f"Key point {number}: complete the statement “{prompt}”",
                back=point,
                tags=("key-point", "draft"),
                source=SourceAnchor(ref, heading, point),
            )
        )
    if not cards:
        warnings.append(
            f"key points: heading at line {lines[start].number} is not followed by "
            "a bulleted list"
        )
    return cards


def _is_term(text: str) -> bool:
    return (
        len(text.split()) <= 8
        and not _SENTENCE_END.search(text)
        and not _BULLET.match(text)
        and not _NUMBERED.match(text)
    )


def _is_definition(text: str) -> bool:
    return len(text.split()) >= 4 and bool(_SENTENCE_END.search(text))


_INLINE_TERM = re.compile(
    r"^(?P<term>[^:.;]{1,60}?)\s*(?::|\u2014|\u2013|\s-)\s+(?P<text>\S.*)$"
)


def _glossary(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, GLOSSARY_HEADINGS)
    if start is None:
        warnings.append("glossary: no 'Glossary' heading")
        return []
    heading = lines[start].text.rstrip(":")
    entries: list[tuple[str, str]] = []
    index = start + 1
    while index < len(lines):
        line, following = lines[index], lines[index + 1 : index + 2]
        if _is_heading(line):
            break
        inline = _INLINE_TERM.match(line.text)
        if _is_term(line.text) and following and _is_definition(following[0].text):
            entries.append((line.text, following[0].text))
            index += 2
        elif inline and len(inline["term"].split()) <= 6 and _is_definition(line.text):
            entries.append((inline["term"], inline["text"]))
            index += 1
        else:
            break
    if not entries:
        warnings.append(
            f"glossary: heading at line {lines[start].number} is not followed by "
            "terms and definitions"
        )
    elif index < len(lines) and not _is_heading(lines[index]):
        # Might be a definition's second paragraph, or page furniture: say so.
        warnings.append(
            f"glossary: stopped at line {lines[index].number} "
            f"({_excerpt(lines[index].text)}), which is neither a term with its "
            "definition nor a heading"
        )
    ids: Counter[str] = Counter()
    cards = []
    for term, definition in entries:
        slug = _slug(term) or "term"
        ids[slug] += 1
        card_id = slug if ids[slug] == 1 else f"{slug}-{ids[slug]}"
        # A reversed card shows the definition as the prompt; if the definition
        # names the term, that side would give the answer away.
        names_term = term.lower() in definition.lower()
        cards.append(
            CardSpec(
                id=card_id,
                kind=CardKind.GLOSSARY,
                type=CardType.BASIC if names_term else CardType.REVERSED,
                front=term,
                back=definition,
                tags=("glossary", "draft"),
                source=SourceAnchor(ref, heading, definition),
            )
        )
    return cards


def _mechanisms(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, ABSTRACT_HEADINGS)
    if start is None:
        warnings.append("mechanisms: no 'Abstract' heading")
        return []
    heading = lines[start].text.rstrip(":")
    paragraphs = []
    for line in lines[start + 1 :]:
        if _is_heading(line) or not _SENTENCE_END.search(line.text):
            break
        paragraphs.append(line.text)
    cards: list[CardSpec] = []
    for sentence in _SENTENCE_SPLIT.split(" ".join(paragraphs)):
        steps = _chain(sentence)
        if len(steps) < 2:
            continue
        number = len(cards) + 1
        cards.append(
            CardSpec(
                id=f"mechanism-{number}",
                kind=CardKind.MECHANISM,
                # ask for the last link: the effect
                front="Complete the mechanism: " + " → ".join([*steps[:-1], "…"]),
                back=" → ".join(steps),
                steps=tuple(steps),
                tags=("mechanism", "draft"),
                source=SourceAnchor(ref, heading, sentence),
            )
        )
    if not cards:
        warnings.append(
            "mechanisms: no abstract sentence states one (X increases / induces / "
            "converts ... Y)"
        )
    return cards


def _chain(sentence: str) -> list[str]:
    """Split a sentence at its causal verbs: subject, then one step per verb."""
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
    for begin, end in zip(cuts, [*cuts[1:], len(body)], strict=True):
        pieces.extend(_CHAIN_BREAK.split(body[begin:end]))
    steps = [_JOINER.sub("", piece).strip() for piece in pieces]
    if not steps[0]:
        return []
    steps = [steps[0], *(step for step in steps[1:] if step)]
    if len(steps) < 2 or any(len(step.split()) < 2 for step in steps[1:]):
        return []
    return steps


def _references(lines: list[_Line], ref: str, warnings: list[str]) -> list[CardSpec]:
    start = _heading_at(lines, REFERENCE_HEADINGS)
    if start is None:
        warnings.append("references: no 'References' heading")
        return []
    heading = lines[start].text.rstrip(":")
    entries: list[tuple[int, str, int]] = []
    for line in lines[start + 1 :]:
        match = _NUMBERED.match(line.text)
        if match:
            number = int(match.group(1) or match.group(2))
            entries.append((number, match.group(3), line.number))
        elif _LINKS.match(line.text):
            continue
        elif entries and not _SENTENCE_END.search(entries[-1][1]):
            # A reference wrapped onto the next line: join it to its start.
            number, start_text, line_number = entries[-1]
            entries[-1] = (number, f"{start_text} {line.text}", line_number)
        else:
            break
    if not entries:
        warnings.append(
            f"references: heading at line {lines[start].number} is not followed by "
            "a numbered list"
        )
        return []
    expected = list(range(1, len(entries) + 1))
    if [number for number, _, _ in entries] != expected:
        warnings.append("references: numbers are not 1, 2, 3 ... in order")
    cards = []
    for number, reference, line_number in entries:
        study, problems = parse_reference(reference, number=number)
        where = f"reference {number} (line {line_number})"
        warnings.extend(f"{where}: {problem}" for problem in problems)
        if study is None:
            continue
        kind_tag = (
            "states-result" if _RESULT_WORDS.search(study.title) else "background"
        )
        cards.append(
            CardSpec(
                id=f"ref-{number}",
                kind=CardKind.FINDING,
                type=CardType.REVERSED,
                front=f"{short_authors(study.authors)} ({study.year}; ref. {number})",
                back=study.title or reference,
                tags=("reference", kind_tag, "draft"),
                study=study,
                source=SourceAnchor(ref, heading, reference),
            )
        )
    return cards


def parse_reference(
    reference: str, *, number: int | None = None
) -> tuple[Study | None, list[str]]:
    """Read authors, title, journal, year and DOI from one reference.

    Understands Nature style ("Moon, H. Y. et al. Title. Cell Metab. 24,
    332-340 (2016)."), Vancouver ("Moon HY, Lee K, et al. Title. Cell Metab.
    2016;24:332-40.") and APA ("Moon, H. Y. (2016). Title. Cell Metab, 24(3),
    332-340."), and books ("Title (Publisher, 2002).").

    Args:
        reference: The reference's text without its number.
        number: Its number in the list, stored on the study.

    Returns:
        The study (None when no author or year can be read) and a list of
        what could not be read.
    """
    problems: list[str] = []
    text = reference.strip()
    doi_match = _DOI.search(text)
    doi = doi_match.group(1) if doi_match else ""
    if doi_match:
        text = text[: doi_match.start()].rstrip(" .,;")
    year = 0
    apa = _APA.match(text)
    if apa:
        authors, year, rest = apa["a"].rstrip(" ,"), int(apa["year"]), apa["rest"]
    else:
        match = _NATURE_AUTHORS.match(text) or _VANCOUVER_AUTHORS.match(text)
        if match:
            authors, rest = match["a"], match["rest"]
        elif ". " in text:
            authors, rest = text.split(". ", 1)
            problems.append("authors not in a known form; took the text up to '. '")
        else:
            return None, ["no authors found"]
    journal, title = "", ""
    books = (_BOOK_TAIL, _VANCOUVER_BOOK)
    for pattern in (_NATURE_TAIL, _VANCOUVER_TAIL, _APA_TAIL, *books):
        tail = pattern.match(rest)
        if tail:
            if not year and "year" in tail.groupdict():
                year = int(tail["year"])
            if pattern in books:
                title, journal = tail["pre"].strip().removesuffix("."), ""
            else:
                title, journal = _split_title(tail["pre"])
            break
    if not year:
        years = _YEAR.findall(rest)
        if not years:
            return None, [*problems, "no year found"]
        year = int(years[-1])
        problems.append("year not in a known place; took the last year-like number")
    if not title:
        title = rest.strip()
        problems.append("title and journal not told apart; kept the whole text")
    return (
        Study(
            authors=authors.strip(),
            year=year,
            journal=journal,
            title=title,
            reference=number,
            doi=doi,
        ),
        problems,
    )


def _split_title(pre: str) -> tuple[str, str]:
    """Split "Title. Journal Abbrev." at the first point after which all is journal."""
    pre = pre.strip()
    for match in re.finditer(r"(?<=[.?!])\s+", pre):
        journal = pre[match.end() :].rstrip(" ,")
        if journal and all(_is_journal_word(word) for word in journal.split()):
            return pre[: match.start()].removesuffix("."), journal
    return pre.removesuffix("."), ""


def _is_journal_word(word: str) -> bool:
    bare = word.strip("()[],:")
    return not bare or bare in _SMALL_WORDS or any(c.isupper() for c in bare)


def short_authors(authors: str) -> str:
    """First author's surname, plus "et al." or the second surname."""
    if re.fullmatch(_NATURE_LIST, authors):
        names = re.findall(_NATURE_NAME, authors)
    elif re.fullmatch(_VANCOUVER_LIST, authors):
        names = re.findall(_VANCOUVER_NAME, authors)
    else:  # a group author such as "... Study 2013 Collaborators"
        return authors
    first = _surname(names[0])
    if "et al" in authors or len(names) > 2:
        return f"{first} et al."
    if len(names) == 2:
        return f"{first} & {_surname(names[1])}"
    return first


def _surname(name: str) -> str:
    name = name.replace("et al.", "").replace("et al", "").strip(" ,.")
    if "," in name:
        return name.split(",", 1)[0]
    parts = name.split()
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}", parts[-1]):
        return " ".join(parts[:-1])
    return name


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def draft_to_yaml(
    result: DraftResult,
    *,
    text_path: str,
    deck_id: str | None = None,
    title: str | None = None,
) -> str:
    """Write a draft as a deck file in the YAML deck format.

    Args:
        result: What ``draft_deck`` found.
        text_path: The source text's path as the deck file should name it
            (relative to the deck's folder or one of its parents).
        deck_id: The deck's id; ``<source id>-draft`` when omitted.
        title: The deck's title; the document's title plus "(draft)" if omitted.

    Returns:
        The YAML text, with the warnings as comments at the top.

    Raises:
        StudyAppError: If nothing was drafted (a deck needs a card); the
            message lists the warnings.
    """
    if not result.cards:
        raise StudyAppError("nothing to draft: " + "; ".join(result.warnings))
    deck: dict[str, Any] = {
        "id": deck_id or f"{result.source_id}-draft",
        "title": title or f"{result.title} (draft)",
        "document": result.source_id,
        "description": "Drafted by studyapp draft; check every card before use.",
    }
    data = {
        "deck": deck,
        "sources": [{"id": result.source_id, "title": result.title, "text": text_path}],
        "cards": [card_to_data(card) for card in result.cards],
    }
    header = [f"# Draft deck from {text_path}: review every card before use."]
    header += [f"# warning: {warning}" for warning in result.warnings]
    body = yaml.dump(
        data, Dumper=DeckDumper, sort_keys=False, allow_unicode=True, width=88
    )
    return "\n".join(header) + "\n" + body
