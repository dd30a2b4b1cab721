# The texts quote articles' typography: en dashes and ligatures.
# ruff: noqa: RUF001
from pathlib import Path

import pytest

from studyapp.core.authoring.document import markdown_to_text, read_document
from studyapp.core.authoring.draft import draft_deck
from studyapp.core.authoring.extract_pdf import clean_line
from studyapp.core.decks.sources import normalise
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind
from tests.core.authoring.pdfmaker import (
    bullet,
    hanging,
    heading,
    para,
    term,
    title,
    unicode_font,
    write_pdf,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "draft"
HEADER = "Journal of Imaginary Physiology 12 (2020) 45–53"
FOOTER = "© 2020 Imaginary Press. All rights reserved."
BODY = (
    "The tundra vole keeps its body temperature during long winters through "
    "coordinated signalling between bone, gut and brown adipose tissue, and the "
    "efficiency of this signalling differs between populations and thermoregulatory "
    "environments. "
)
KEY_POINTS = [
    "Cold exposure makes osteocytes release frostin, a bone hormone.",
    "Frostin acts on enteroendocrine cells in the small intestine.",
    "Glacin secreted by the gut increases nutrient absorption during cold exposure.",
]
GLOSSARY = [
    ("Osteocyte", "A bone cell embedded in mineralised matrix that senses load."),
    ("Brown adipose tissue (BAT)", "A fat tissue that burns fuel to make heat."),
    (
        "Thermal neutral zone",
        "The range of temperature in which no extra heat is made.",
    ),
]
REFERENCES = [
    "1. Hartmann, L. K. & Osei, K. M. Osteocytes release frostin during cold "
    "exposure. J. Imag. Physiol. 12, 45–53 (2020).",
    "2. Arctic Vole Consortium. Reference ranges for body temperature in captive "
    "voles. Imag. Lab. Anim. 3, 1–9 (2018).",
    "3. Okafor, N. A. Is frostin a hormone? Imag. Endocrinol. 7, 101–110 (2019).",
]


def _article_pdf(path: Path) -> int:
    blocks = [
        title("Bone–gut signalling during cold exposure in the tundra vole"),
        heading("Abstract"),
        para(
            "Frostin stimulates enteroendocrine cells to secrete glacin, which "
            "promotes nutrient absorption in the small intestine."
        ),
        heading("Highlights"),
        *[bullet(point) for point in KEY_POINTS],
        heading("Introduction"),
        *[para(BODY * 3) for _ in range(14)],
        heading("Glossary"),
        *[para(f"{term}: {definition}") for term, definition in GLOSSARY],
        heading("References"),
        *[para(reference) for reference in REFERENCES],
    ]
    return write_pdf(path, blocks, header=HEADER, footer=FOOTER, ligatures=True)


@pytest.fixture(scope="module")
def pdf_article(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("pdf") / "article.pdf"
    return path, _article_pdf(path)


def test_two_column_pdf_loses_headers_footers_and_page_numbers(
    pdf_article: tuple[Path, int],
) -> None:
    path, pages = pdf_article
    document = read_document(path)

    assert pages >= 2
    assert document.kind == "pdf"
    assert HEADER not in document.text
    assert "All rights reserved" not in document.text
    assert not [line for line in document.text.splitlines() if line.strip().isdigit()]
    assert len(document.page_starts) == pages
    assert document.page_at(0) == 1
    assert document.page_at(len(document.text) - 1) == pages


def test_pdf_hyphenation_and_ligatures_are_repaired(
    pdf_article: tuple[Path, int],
) -> None:
    if unicode_font() is None:
        pytest.skip("no DejaVu font to draw ligature glyphs with")
    text = read_document(pdf_article[0]).text

    assert "\ufb01" not in text
    assert "\ufb02" not in text
    # every occurrence of the long words survives line-end hyphenation whole
    assert text.count("thermoregulatory") == 14 * 3
    assert text.count("efficiency") == 14 * 3
    assert "temper- ature" not in text
    assert "temperature" in text


def test_pdf_article_is_drafted_in_full(pdf_article: tuple[Path, int]) -> None:
    document = read_document(pdf_article[0])
    result = draft_deck(document.text, source_id="doc", legacy=False)

    backs = [c.back for c in result.cards if c.kind is CardKind.KEY_POINT]
    clozes = [c.cloze for c in result.cards if c.kind is CardKind.KEY_POINT]
    assert len(backs) == len(KEY_POINTS)
    assert result.title == "Bone–gut signalling during cold exposure in the tundra vole"
    glossary = [c.front for c in result.cards if "glossary" in c.tags]
    assert glossary == [term for term, _ in GLOSSARY]
    abbreviations = {c.front: c.back for c in result.cards if "abbreviation" in c.tags}
    assert abbreviations["What does the abbreviation BAT stand for?"] == (
        "Brown adipose tissue"
    )
    findings = [c for c in result.cards if c.kind is CardKind.FINDING]
    # 1 states a result; 2 is a topic; 3 asks a question
    assert [c.study.reference for c in findings] == [1]
    assert any("reference 2" in w and "group author" in w for w in result.warnings)
    (where,) = [w for w in document.with_pages(result.warnings) if "reference 2" in w]
    assert f", p. {pdf_article[1]})" in where  # the reference list is on the last page
    text = normalise(document.text)
    for card in result.cards:
        assert normalise(card.source.quote) in text, card.id
    assert all(b or c for b, c in zip(backs, clozes, strict=True))


def test_html_page_keeps_the_article_and_drops_the_clutter() -> None:
    document = read_document(DATA / "cluttered-page.html")
    clutter = [
        "cookie",
        "Subscribe",
        "Log in",
        "Related articles",
        "Advertisement",
        "Privacy policy",
        "All rights reserved",
        "dataLayer",
        "track(",
    ]

    for word in clutter:
        assert word not in document.text, word
    result = draft_deck(
        document.text, source_id="page", title=document.title, legacy=False
    )
    for card in result.cards:
        shown = f"{card.front} {card.back} {card.cloze} {card.source.quote}"
        assert not [word for word in clutter if word in shown], card.id
        assert normalise(card.source.quote) in normalise(document.text), card.id
    assert result.title == "Night-shift work and the liver clock"
    assert result.count(CardKind.KEY_POINT) == 4
    assert "Box 1 | Measuring the phase of a peripheral clock" in result.boxes
    terms = [c.front for c in result.cards if "glossary" in c.tags]
    assert terms == [
        "Suprachiasmatic nucleus (SCN)",
        "Zeitgeber",
        "Time-restricted eating (TRE)",
        "Chronotype",
    ]
    fronts = {c.front for c in result.cards if "abbreviation" in c.tags}
    assert "What does the abbreviation SCN stand for?" in fronts


def test_html_references_in_every_form_are_recovered() -> None:
    document = read_document(DATA / "cluttered-page.html")
    result = draft_deck(
        document.text, source_id="page", title=document.title, legacy=False
    )

    warned = "\n".join(result.warnings)
    assert "reference 2 (line" in warned
    assert "group author" in warned
    assert "reference 5 (line" in warned
    assert "in press" in warned
    findings = {
        c.study.reference: c for c in result.cards if c.kind is CardKind.FINDING
    }
    assert list(findings) == [1]  # 3 is a question, 4 a book chapter's topic
    assert findings[1].front == "What did Lindqvist & Okafor (2019; ref. 1) find?"


def test_markdown_is_read_as_a_reader_sees_it(tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text(
        "# Cold voles\n\n## Abstract\n\nShort.\n\n## Key points\n\n"
        "- **Frostin** acts on enteroendocrine cells in the gut.\n"
        "- Voles lacking frostin lose heat faster than [wild-type](http://x) voles.\n\n"
        "## Glossary\n\n**Osteocyte**: A bone cell that senses mechanical load.\n\n"
        "Thermal neutral zone\n: The range of temperature in which no heat is made.\n",
        encoding="utf-8",
    )

    document = read_document(source)
    result = draft_deck(document.text, source_id="md", legacy=False)

    assert "**" not in document.text
    assert "](" not in document.text
    assert result.title == "Cold voles"
    assert result.count(CardKind.KEY_POINT) == 2
    assert [c.front for c in result.cards if "glossary" in c.tags] == [
        "Osteocyte",
        "Thermal neutral zone",
    ]


def test_markdown_to_text_keeps_lists() -> None:
    assert markdown_to_text("* one\n* two *three*") == "• one\n• two three"


def test_a_file_that_is_not_a_pdf_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")

    with pytest.raises(StudyAppError, match=r"broken\.pdf"):
        read_document(broken)


APA = [
    "Brandt, P., & Osei, K. M. (2019). Cold exposure raises frostin release from "
    "osteocytes in tundra voles living at the edge of their thermal range. Journal "
    "of Imaginary Physiology, 11(2), 12–19.",
    "Imaginary Vole Society. (2018). Guidelines for keeping voles in captivity. "
    "Imaginary Press.",
    "Okafor, N. A. (in press). Does frostin act on the brain? Imaginary Endocrinology.",
]


def test_single_column_pdf_with_bold_terms_and_hanging_references(
    tmp_path: Path,
) -> None:
    path = tmp_path / "single.pdf"
    write_pdf(
        path,
        [
            title("Frostin in the cold"),
            heading("Abstract"),
            para("Frostin is a bone hormone. " * 3),
            heading("Glossary"),
            term("Osteocyte"),
            para("A bone cell embedded in mineralised matrix that senses load."),
            term("Thermal neutral zone (TNZ)"),
            para("The range of temperature in which no extra heat is made."),
            heading("References"),
            *[hanging(entry) for entry in APA],
        ],
        columns=1,
    )

    document = read_document(path)
    result = draft_deck(document.text, source_id="doc", legacy=False)

    assert [c.front for c in result.cards if "glossary" in c.tags] == [
        "Osteocyte",
        "Thermal neutral zone (TNZ)",
    ]
    assert result.references == 3
    findings = [c for c in result.cards if c.kind is CardKind.FINDING]
    assert [c.study.year for c in findings] == [2019]
    assert findings[0].study.journal == "Journal of Imaginary Physiology"
    warned = "\n".join(result.warnings)
    assert "reference 2" in warned
    assert "group author" in warned
    assert "reference 3" in warned
    assert "in press" in warned


def _platypus_pdf(path: Path) -> None:
    """Two frames per page, headers by onPage, list bullets drawn by reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        ListFlowable,
        ListItem,
        PageTemplate,
        Paragraph,
    )

    styles = getSampleStyleSheet()
    width, height = A4

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, height - 35, "Imaginary Reviews · Vol. 8 · 2021")
        canvas.drawString(50, 25, "Lindqvist et al.")
        canvas.drawRightString(width - 50, 25, f"Page {doc.page}")

    column = (width - 120) / 2
    doc = BaseDocTemplate(str(path), pagesize=A4)
    frames = [
        Frame(50, 50, column, height - 110),
        Frame(70 + column, 50, column, height - 110),
    ]
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=furniture)])
    body = styles["BodyText"]
    filler = "Shift work misaligns the central clock with the clocks of organs. " * 8
    story = [
        Paragraph("Night-shift work and the liver clock", styles["Title"]),
        Paragraph("Key points", styles["Heading2"]),
        ListFlowable(
            [ListItem(Paragraph(point, body)) for point in KEY_POINTS],
            bulletType="bullet",
        ),
        Paragraph("Introduction", styles["Heading2"]),
        *[Paragraph(filler, body) for _ in range(16)],
        Paragraph("Glossary", styles["Heading2"]),
        *[Paragraph(f"<b>{t}</b>: {d}", body) for t, d in GLOSSARY],
        Paragraph("References", styles["Heading2"]),
        *[Paragraph(entry, body) for entry in REFERENCES],
    ]
    doc.build(story)


def test_pdf_from_a_flowing_layout_with_drawn_bullets(tmp_path: Path) -> None:
    path = tmp_path / "flowing.pdf"
    _platypus_pdf(path)

    document = read_document(path)
    result = draft_deck(document.text, source_id="doc", legacy=False)

    for furniture in ("Imaginary Reviews", "Lindqvist et al.", "Page "):
        assert furniture not in document.text
    assert len(document.page_starts) >= 2
    backs = [c.back or c.cloze for c in result.cards if c.kind is CardKind.KEY_POINT]
    assert len(backs) == len(KEY_POINTS)
    assert [c.front for c in result.cards if "glossary" in c.tags] == [
        term for term, _ in GLOSSARY
    ]
    assert result.references == len(REFERENCES)
    text = normalise(document.text)
    assert all(normalise(c.source.quote) in text for c in result.cards)


def test_web_page_with_run_in_terms_a_glossary_table_and_link_buttons() -> None:
    document = read_document(DATA / "plain-markup-page.html")
    result = draft_deck(
        document.text, source_id="page", title=document.title, legacy=False
    )

    assert "cookies" not in document.text
    assert [c.front for c in result.cards if c.kind is CardKind.KEY_POINT] == [
        "What do muscle clocks respond to?",
        "What do clock genes regulate?",
    ]
    assert [c.front for c in result.cards if "glossary" in c.tags] == [
        "Myokine",
        "Chronotype",
        "Zeitgeber",
    ]
    (finding,) = [c for c in result.cards if c.kind is CardKind.FINDING]
    assert finding.study.journal == "Cell Metab."
    assert not [w for w in result.warnings if w.startswith("reference")]


def test_ligatures_soft_hyphens_and_unmapped_bullets_are_cleaned() -> None:
    # PDFium maps most ligature glyphs itself; a PDF whose ToUnicode map keeps
    # them, or a bullet glyph with no Unicode at all, is cleaned here
    assert clean_line("(cid:127) e\ufb03cient \ufb02ow of in\u00adformation") == (
        "• efficient flow of information"
    )


def test_a_page_nested_too_deeply_gives_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body><article><h1>T</h1>"
        + "<div>" * 5000
        + "text"
        + "</div>" * 5000
        + "</article></body></html>",
        encoding="utf-8",
    )

    # libxml2 caps the depth itself; either way no RecursionError escapes
    try:
        message = read_document(page).text
    except StudyAppError as error:
        message = str(error)
    assert message.startswith("T") or "deep.html" in message
