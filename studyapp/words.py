"""How the front ends word the core's data: intervals and reports.

The core returns numbers and records; the GUI and the CLI both show some of
them the same way, and this Qt-free module is where that wording lives.
"""

from __future__ import annotations

from studyapp.core.safety.check import CheckReport


def format_interval(seconds: float) -> str:
    """A short human interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86_400:
        return f"{seconds / 3600:.0f}h"
    days = seconds / 86_400
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def check_report_lines(report: CheckReport, *, restore_hint: str) -> list[str]:
    """A database check's report as lines of text.

    Args:
        report: What the check found.
        restore_hint: Where this front end restores a backup (a menu, or a
            command), named when something could not be repaired.
    """
    lines = [f"checked {report.cards} cards and {report.reviews} reviews"]
    if report.backup is not None:
        lines.append(f"backup taken first: {report.backup}")
    for finding in report.findings:
        status = "repaired" if finding.repaired else "NOT repaired"
        lines.append(f"- {finding.message} ({finding.count}; {status})")
    if not report.findings:
        lines.append("no problems found")
    elif report.is_ok:
        lines.append("every problem found was repaired")
    else:
        lines.append(
            f"some problems could not be repaired: restore a backup ({restore_hint})"
        )
    return lines
