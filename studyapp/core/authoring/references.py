"""Parse reference entries: authors, title, journal, year, DOI.

Nature, Vancouver, APA and Harvard styles; group (corporate) authors; books and
chapters; "in press" and undated entries (parsed, but with no year no card).
"""

from __future__ import annotations

import re

from studyapp.core.authoring.sections import LINK_WORDS
from studyapp.core.model import Study

_DOI = re.compile(
    r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+?)\.?(?=\s|$)"
)
_INITIALS = r"[A-Z][a-z]?\.(?:\s?-?[A-Z][a-z]?\.)*"
_INITIALS_PLAIN = r"(?:[A-Z][a-z]?\.(?:\s?-?[A-Z][a-z]?\.)*|\b[A-Z]{1,3})"
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
_APA = re.compile(
    r"^(?P<a>.+?)\s+\((?P<year>\d{4})[a-z]?(?:, [A-Z][a-z]+(?: \d{1,2})?)?\)"
    r"\.?\s+(?P<rest>\S.*)$"
)
# Harvard without brackets: "Smith, J. and Jones, K., 2019. Title. Journal ..."
_HARVARD = re.compile(
    rf"^(?P<a>[^()]*?{_INITIALS_PLAIN}),?\s+(?P<year>\d{{4}})[a-z]?\.\s+(?P<rest>\S.*)$"
)
_UNDATED = re.compile(
    r"\s*\((?P<what>in press|forthcoming|n\.\s?d\.|no date|accepted)\)\.?",
    re.IGNORECASE,
)
# "Title. in Book (eds ...) 45-67 (Publisher, 2017)." Nature-style chapters
_CHAPTER = re.compile(
    r"^(?:(?P<title>.*?)\.\s+)?[Ii]n:?\s+(?P<book>[^(]+?)\s*\((?:eds?\.?|Eds?\.?)"
)
# "Title. In: Brandt P, editor. Book. Oslo: Press; 2017. p. 45-67."
_VANCOUVER_CHAPTER = re.compile(
    r"^(?P<title>.*?)\.\s+In:\s+[^.]*?,\s+eds?(?:itors?)?\.\s+(?P<book>[^.]+)\."
)
_GROUP_WORDS = re.compile(
    r"\b(?:Consortium|Collaborat\w*|Group|Organi[sz]ation|Association|Society|"
    r"Committee|Council|Institute|Agency|Network|Foundation|Investigators|"
    r"Working Party|Task Force|Centers?|Centres?|Department|Ministry|Office|"
    r"Board|Panel|Commission|College|Federation|Alliance|Study)\b"
)
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
# "... J Sleep 3:1-9" (Springer, year already taken)
_COLON_TAIL = re.compile(r"^(?P<pre>.*?)\s\d+(?:\s?\(\d+\))?:\s?[\w\u2013-]+\.?$")
# "Title (Publisher, 2002)." books and chapters
_BOOK_TAIL = re.compile(r"^(?P<pre>.*)\s\((?P<pub>[^()]*?),\s*(?P<year>\d{4})\)\.?$")
# "Title. London: Publisher; 2001." (Vancouver books)
_VANCOUVER_BOOK = re.compile(
    r"^(?P<pre>.*?)\.\s[^.:;]+:\s(?P<pub>[^;]+);\s(?P<year>\d{4})\.?$"
)
_LINK_WORDS = re.compile(rf"(?:\s+{LINK_WORDS})+\s*$")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SMALL_WORDS = frozenset({"of", "and", "the", "in", "for", "&", "de", "la", "et"})


def parse_reference(
    reference: str, *, number: int | None = None
) -> tuple[Study | None, list[str]]:
    """Read authors, title, journal, year and DOI from one reference.

    Understands Nature style ("Moon, H. Y. et al. Title. Cell Metab. 24,
    332-340 (2016)."), Vancouver ("Moon HY, Lee K, et al. Title. Cell Metab.
    2016;24:332-40."), APA ("Moon, H. Y. (2016). Title. Cell Metab, 24(3),
    332-340."), Harvard ("Moon, H.Y. (2016) Title. ..." or "Moon, H.Y., 2016.
    Title. ..."), group authors ("WHO Consortium. Title ..."), books ("Title
    (Publisher, 2002)."), chapters ("Title. in Book (eds ...) ...") and
    undated entries ("(in press)", "(n.d.)").

    Args:
        reference: The reference's text without its number.
        number: Its number in the list, stored on the study.

    Returns:
        The study (None when no author or year can be read) and a list of
        what could not be read.
    """
    entry = parse_entry(reference)
    if entry.study is None or not entry.study.year:
        return None, entry.problems
    study = entry.study
    return (
        Study(
            authors=study.authors,
            year=study.year,
            journal=study.journal,
            title=study.title,
            reference=number,
            doi=study.doi,
        ),
        entry.problems,
    )


class Entry:
    """A parsed reference: the study (year 0 when undated) and the problems."""

    __slots__ = ("problems", "study", "undated")

    def __init__(self, study: Study | None, problems: list[str], undated: str = ""):
        self.study = study
        self.problems = problems
        self.undated = undated  # "in press", "n.d." ... when the entry says so


def parse_entry(reference: str) -> Entry:
    """Parse one reference; undated entries keep their authors and title."""
    problems: list[str] = []
    text = _LINK_WORDS.sub("", reference.strip())
    doi_match = _DOI.search(text)
    doi = doi_match.group(1) if doi_match else ""
    if doi_match:
        text = (text[: doi_match.start()] + text[doi_match.end() :]).strip(" .,;")
    undated_match = _UNDATED.search(text)
    undated = " ".join(undated_match["what"].lower().split()) if undated_match else ""
    year = 0
    apa = _APA.match(text) or _HARVARD.match(text)
    if apa:
        authors, year, rest = apa["a"].rstrip(" ,"), int(apa["year"]), apa["rest"]
        if _is_group(authors) and not re.search(r"\b[A-Z]\.", authors):
            problems.append(f"authors: read {authors!r} as a group author; check")
    elif (
        undated_match
        and undated_match.start() > 0
        and _looks_like_authors(text[: undated_match.start()])
    ):  # APA "Moon, H. Y. (in press). Title."
        authors = text[: undated_match.start()].rstrip(" ,")
        rest = text[undated_match.end() :].strip()
    else:
        match = _NATURE_AUTHORS.match(text) or _VANCOUVER_AUTHORS.match(text)
        if match:
            authors, rest = match["a"], match["rest"]
        elif ". " in text:
            authors, rest = text.split(". ", 1)
            if _is_group(authors):
                problems.append(f"authors: read {authors!r} as a group author; check")
            else:
                problems.append("authors not in a known form; took the text up to '. '")
        else:
            return Entry(None, ["no authors found"])
    if undated_match:
        rest = _UNDATED.sub("", rest).strip()
    journal, title = "", ""
    chapter = _CHAPTER.match(rest) or _VANCOUVER_CHAPTER.match(rest)
    books = (_BOOK_TAIL, _VANCOUVER_BOOK)
    if chapter:
        title = (chapter["title"] or chapter["book"]).strip()
        journal = chapter["book"].strip() if chapter["title"] else ""
        if not year:
            years = _YEAR.findall(rest)
            year = int(years[-1]) if years else 0
    else:
        for pattern in (_NATURE_TAIL, _VANCOUVER_TAIL, _APA_TAIL, _COLON_TAIL, *books):
            tail = pattern.match(rest)
            if tail:
                if not year and "year" in tail.groupdict():
                    year = int(tail["year"])
                if pattern in books:
                    title, journal = tail["pre"].strip().removesuffix("."), ""
                else:
                    title, journal = _split_title(tail["pre"])
                break
    if not year and not undated:
        years = _YEAR.findall(rest)
        if not years:
            return Entry(None, [*problems, "no year found"])
        year = int(years[-1])
        problems.append("year not in a known place; took the last year-like number")
    if not title:
        title, journal = _split_title(rest.strip().rstrip("."))
        if not journal and not undated:
            problems.append("title and journal not told apart; kept the whole text")
    if undated:
        problems.append(f"{undated}: no year, so no card")
    return Entry(
        Study(
            authors=authors.strip(),
            year=year,
            journal=journal,
            title=title,
            doi=doi,
        ),
        problems,
        undated,
    )


def _looks_like_authors(text: str) -> bool:
    return bool(
        re.fullmatch(rf"(?:{_NATURE_LIST}|{_VANCOUVER_LIST})\.?", text.strip())
    ) or _is_group(text)


def _is_group(authors: str) -> bool:
    """A consortium, organisation or committee named as the author."""
    words = authors.split()
    return 0 < len(words) <= 15 and bool(_GROUP_WORDS.search(authors))


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
