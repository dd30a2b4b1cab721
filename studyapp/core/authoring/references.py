"""Parse numbered reference entries: authors, title, journal, year, DOI."""

from __future__ import annotations

import re

from studyapp.core.model import Study

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
_SMALL_WORDS = frozenset({"of", "and", "the", "in", "for", "&", "de", "la", "et"})


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
