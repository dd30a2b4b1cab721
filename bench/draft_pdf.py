"""Drafting benchmark: a 30-page two-column PDF to a draft deck (issue 14).

Writes docs/benchmarks-drafting.md. Target: under 5 s on the project's machine.
Also times pdfminer.six (layout analysis, as a drafter would need it) and
pypdf's plain text extraction on the same file, for the record of why
pypdfium2 was chosen: it gives positions and fonts, which column order,
headings and header/footer removal need, at C speed.

Run: .venv/bin/python bench/draft_pdf.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.core.authoring.document import read_document  # noqa: E402
from studyapp.core.authoring.draft import draft_deck  # noqa: E402
from studyapp.core.authoring.extract_pdf import extract_pdf  # noqa: E402
from tests.core.authoring.pdfmaker import (  # noqa: E402
    bullet,
    heading,
    para,
    title,
    write_pdf,
)

PAGES = 30
RUNS = 5
SENTENCES = [
    "Cold exposure increases the release of frostin from osteocytes, which "
    "stimulates enteroendocrine cells and thereby raises glacin secretion.",
    "The thermoregulatory response of the tundra vole differs between "
    "populations kept at different ambient temperatures.",
    "Brown adipose tissue (BAT) burns fuel to make heat when uncoupling protein 1 "
    "(UCP1) is expressed in its mitochondria.",
    "Whether humans have a comparable pathway is unknown, although several "
    "epidemiological studies point to a seasonal change in bone turnover.",
]


def build(path: Path) -> int:
    blocks = [
        title("Bone–gut signalling during cold exposure in the tundra vole"),  # noqa: RUF001
        heading("Abstract"),
        para(" ".join(SENTENCES)),
        heading("Key points"),
        *[bullet(sentence) for sentence in SENTENCES],
        heading("Glossary"),
        para("Osteocyte: A bone cell embedded in mineralised matrix that senses load."),
        para("Frostin: An invented bone hormone released in the cold."),
    ]
    section = 0
    while True:
        section += 1
        blocks.append(heading(f"{section}. Results part {section}"))
        blocks += [para(" ".join(SENTENCES * 3)) for _ in range(6)]
        blocks.append(heading("References"))
        blocks += [
            para(
                f"{n}. Hartmann, L. K. & Osei, K. M. Osteocytes release frostin "
                f"during cold exposure {n}. J. Imag. Physiol. 12, 45–53 (2020)."  # noqa: RUF001
            )
            for n in range(1, 81)
        ]
        pages = write_pdf(path, blocks, ligatures=True)
        if pages >= PAGES:
            return pages
        blocks = blocks[:-81]


def timed(action: object) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.pdf"
        pages = build(path)
        size = path.stat().st_size

        def draft() -> None:
            document = read_document(path)
            draft_deck(document.text, source_id="bench", legacy=False)

        whole = timed(draft)
        extraction = timed(lambda: extract_pdf(path))
        document = read_document(path)
        drafting = timed(lambda: draft_deck(document.text, source_id="b", legacy=False))
        result = draft_deck(document.text, source_id="b", legacy=False)
        rows = [
            ("read + draft (what `studyapp draft` does)", whole),
            ("PDF text extraction (pypdfium2 + our layout)", extraction),
            ("drafting from the extracted text", drafting),
        ]
        try:
            from pdfminer.high_level import extract_text
            from pdfminer.layout import LAParams

            def pdfminer_text() -> None:
                extract_text(str(path), laparams=LAParams(boxes_flow=None))

            rows.append(
                ("pdfminer.six extract_text (comparison only)", timed(pdfminer_text))
            )
        except ImportError:
            pass
        try:
            import pypdf

            def pypdf_text() -> None:
                reader = pypdf.PdfReader(str(path))
                "\n".join(page.extract_text() for page in reader.pages)

            rows.append(
                ("pypdf plain extract_text (comparison only)", timed(pypdf_text))
            )
        except ImportError:
            pass
    lines = [
        "# Benchmark: drafting a deck from a 30-page PDF (issue 14)",
        "",
        "Written by `bench/draft_pdf.py`; not a test. Target: under 5 s.",
        "",
        f"- document: {pages} pages, two columns, running header and footer, page "
        f"numbers, hyphenation, ligatures; {size // 1024} KiB; "
        f"{len(document.text):,} characters extracted",
        f"- draft: {len(result.cards)} cards, {result.references} references read",
        f"- machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{RUNS} runs each; load average at the start {os.getloadavg()[0]:.1f} "
        "on 2 cores shared with other developers",
        "",
        "| step | median | min | max |",
        "| --- | --- | --- | --- |",
    ]
    for label, times in rows:
        lines.append(
            f"| {label} | {statistics.median(times):.2f} s | {min(times):.2f} s "
            f"| {max(times):.2f} s |"
        )
    out = ROOT / "docs" / "benchmarks-drafting.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
