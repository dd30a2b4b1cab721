"""Save a screenshot of the Class screen to docs/screenshots/class.png.

Run: ``.venv/bin/python scripts/class_screenshot.py [RESULTS.json]``, where the
JSON is what ``bench/class_sim.py`` wrote (its ``report`` is the class report
the simulated semester produced). Re-runs itself under ``xvfb-run`` when there
is no display, like scripts/screenshots.py.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from studyapp.core.classroom.report import CardFigures, ClassReport, SectionFigures
from studyapp.gui.app import create_application
from studyapp.gui.class_view import ClassView

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import _ensure_display

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "bench" / "results" / "class-sim-1000.json"


def report_from(values: dict[str, Any]) -> ClassReport:
    """The ClassReport a results file holds."""
    return ClassReport(
        class_id=values["class_id"],
        title=values["title"],
        students=values["students"],
        at=datetime.fromisoformat(values["at"]),
        exam_at=datetime.fromisoformat(values["exam_at"]),
        sections=[SectionFigures(**s) for s in values["sections"]],
        weakest=[CardFigures(**c) for c in values["weakest"]],
    )


def main() -> int:
    """Render the Class screen from the results file and save it."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    _ensure_display()
    app = create_application([sys.argv[0]])
    report = report_from(json.loads(source.read_text())["report"])
    view = ClassView()
    view.show_report(report)
    view.resize(1280, 860)
    view.show()
    for _ in range(5):
        QApplication.processEvents()
    out = ROOT / "docs" / "screenshots" / "class.png"
    view.grab().save(str(out))
    print(out)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
