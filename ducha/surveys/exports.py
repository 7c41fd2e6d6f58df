"""A survey's results for one period as .xlsx: a summary per unit, the distribution of each
question, and the free-text answers. Staff groups under five appear by count only."""

from __future__ import annotations

import tempfile
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ducha.audit.services import audit_record

from . import periods, results
from .models import Answer, Survey

_BOLD = Font(bold=True)
_SPOOL_BYTES = 8 * 1024 * 1024
# A cell starting with one of these would be read as a formula: public text stays text.
_FORMULA_START = ("=", "+", "-", "@")


def results_export(*, actor, survey: Survey, period: str, units) -> tuple[IO[bytes], str]:
    """The results workbook and its file name; the export is recorded in the audit log."""
    out, count = results_workbook(survey, period, units)
    filename = f"测评结果-{survey.pk}-{period or 'all'}.xlsx"
    audit_record(
        actor=actor,
        action="export",
        obj=survey,
        unit_path=survey.unit.path,
        after={"file": filename, "period": period, "units": count},
    )
    return out, filename


def results_workbook(survey: Survey, period: str, units) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound; the caller closes it), and the number of
    units with answers."""
    units = list(units)
    workbook = Workbook(write_only=True)
    title = f"{survey.title} · {periods.label(period)}"

    summary = workbook.create_sheet(_("Summary"))
    _widths(summary, [30, 12, 16, 40])
    summary.append([_text(summary, title)])
    summary.append(
        _header(summary, [_("Unit"), _("Responses"), _("Satisfaction rate (%)"), _("Note")])
    )
    rows = results.unit_table(survey, period, units)
    for row in rows:
        rate = row.satisfaction.percent if row.satisfaction else None
        note = (
            _("Fewer than %(n)s answers: results are not shown.") % {"n": results.MIN_STAFF_GROUP}
            if row.hidden and row.responses
            else ""
        )
        summary.append([_text(summary, row.label), row.responses, rate, note])

    questions = workbook.create_sheet(_("Questions"))
    _widths(questions, [30, 8, 50, 30, 10, 10, 10])
    questions.append(
        _header(
            questions,
            [
                _("Unit"),
                _("Code"),
                _("Question"),
                _("Answer"),
                _("Count"),
                _("Share (%)"),
                _("Mean"),
            ],
        )
    )
    texts = workbook.create_sheet(_("Free text"))
    _widths(texts, [30, 50, 80, 16, 20])
    texts.append(
        _header(texts, [_("Unit"), _("Question"), _("Answer"), _("Moderation"), _("Answered at")])
    )
    moderation = dict(Answer.Moderation.choices)
    answered_units = 0
    by_unit = {u.pk: u for u in units}
    for row in rows:
        if row.hidden or not row.responses:
            continue
        answered_units += 1
        cell = results.cell_results(survey, by_unit[row.key], period, approved_texts_only=False)
        for question in cell.questions:
            for bar in question.bars:
                questions.append(
                    [
                        _text(questions, row.label),
                        question.code,
                        _text(questions, question.text),
                        _text(questions, bar.label),
                        bar.count,
                        bar.percent,
                        question.mean,
                    ]
                )
            for answer in question.texts:
                texts.append(
                    [
                        _text(texts, row.label),
                        _text(texts, question.text),
                        _text(texts, answer.text),
                        str(moderation.get(answer.moderation, answer.moderation)),
                        answer.created_at.astimezone(periods.CST).strftime("%Y-%m-%d %H:%M"),
                    ]
                )
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out, answered_units


def _header(sheet, names: list[str]) -> list:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _text(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
    return cell
