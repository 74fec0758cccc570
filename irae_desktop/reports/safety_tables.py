"""The printed treatment safety section: per line (domain.safety_panel) its label's checks and
the labs it asks for next, as the patient view's Safety tab shows them. The status word is
always printed; its colour only repeats it."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from irae_desktop.domain.safety_panel import LineSafety
from irae_desktop.reports.formatting import DASH, date_text, markup
from irae_desktop.reports.summary_tables import STATUS_WORD, make_table

NO_LINES = "No immunosuppression line with label checks."
OVERDUE = "OVERDUE"
# the colours of the alerts' severities (ui.grade_style), for the words that call for a look
STATUS_COLOUR = {"act": "#b3261e", "attention": "#8a5a00", "missing": "#8a5a00", OVERDUE: "#b3261e"}
# the status column fits "attention" on one line
CHECK_FRACTIONS = (0.15, 0.26, 0.15, 0.09, 0.10, 0.25)
DUE_FRACTIONS = (0.24, 0.42, 0.13, 0.11, 0.10)


def _status(word: str, style: ParagraphStyle) -> Paragraph:
    colour = STATUS_COLOUR.get(word)
    text = markup(word)
    return Paragraph(f"<font color='{colour}'><b>{text}</b></font>" if colour else text, style)


def line_flowables(line: LineSafety, width: float, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    cell = st["cell"]
    status = STATUS_WORD.get(line.status, line.status.upper())
    heading = Paragraph(f"<b>{markup(line.line)}</b> \u2014 {status}", st["body"])
    checks: list[list[object]] = [["Check", "Label's rule", "Latest", "Date", "Status", "Note"]]
    for c in line.checks:
        checks.append(
            [
                Paragraph(markup(c.what), cell),
                Paragraph(markup(c.rule), cell),
                Paragraph(markup(c.latest) or DASH, cell),
                date_text(c.latest_on),
                _status(c.status, cell),
                Paragraph(markup(c.note), cell),
            ]
        )
    out: list[Flowable] = [heading, make_table(checks, [width * f for f in CHECK_FRACTIONS])]
    if line.due:
        due: list[list[object]] = [["Lab due", "Schedule", "Last done", "Due", "Status"]]
        for d in line.due:
            due.append(
                [
                    Paragraph(markup(d.what), cell),
                    Paragraph(markup(d.schedule), cell),
                    date_text(d.last_done) if d.last_done else "none yet",
                    date_text(d.due_on),
                    _status(OVERDUE if d.overdue else "due", cell),
                ]
            )
        out += [Spacer(1, 2), make_table(due, [width * f for f in DUE_FRACTIONS])]
    out.append(Spacer(1, 5))
    return [KeepTogether(out[:2]), *out[2:]]


def safety_flowables(
    lines: Sequence[LineSafety], width: float, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    if not lines:
        return [Paragraph(NO_LINES, st["muted"])]
    out: list[Flowable] = []
    for line in lines:
        out += line_flowables(line, width, st)
    return out
