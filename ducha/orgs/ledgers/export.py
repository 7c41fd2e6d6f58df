"""Writing ledgers to .xlsx: exports and the downloadable import templates.

Layout of an export: row 1 is a title, row 2 the header row (the same Chinese column names
the importer reads; it looks for them in the first five rows), data from row 3.
A template has the header row on row 1 and a second sheet, 说明, explaining each column.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .common import Ledger
from .readers import NOTES_SHEET

EXPORT_HEADER_ROW = 2
_BOLD = Font(bold=True)
_SPOOL_BYTES = 8 * 1024 * 1024


def export_workbook(ledger: Ledger, rows: Iterable[list], *, title: str) -> tuple[IO[bytes], int]:
    """The rows as an .xlsx in a temporary file (in memory while small), and their count.
    A write-only workbook streams rows to disk instead of holding cells in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ledger.name)
    _widths(sheet, ledger)
    sheet.append([WriteOnlyCell(sheet, value=title)])
    sheet.append(_header(sheet, ledger))
    count = 0
    for row in rows:
        sheet.append([_text_safe(sheet, v) for v in row])
        count += 1
    return _saved(workbook), count


def template_workbook(ledger: Ledger) -> IO[bytes]:
    """An empty sheet with the header row, and 说明: what each column holds, with an example."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ledger.name)
    _widths(sheet, ledger)
    sheet.append(_header(sheet, ledger))

    notes = workbook.create_sheet(NOTES_SHEET)
    for letter, width in zip("ABCD", (16, 20, 8, 70), strict=True):
        notes.column_dimensions[letter].width = width
    notes.append([_bold(notes, h) for h in ("列名", "English", _("Required"), _("What to enter"))])
    for column in ledger.columns:
        notes.append(
            [column.header, column.english, "是" if column.required else "", str(column.help)]
        )
    notes.append([])
    notes.append(
        [
            _bold(
                notes,
                _(
                    "Example row (fill in the first sheet; the header row must stay as it is, "
                    "extra columns are ignored):"
                ),
            )
        ]
    )
    notes.append(_header(notes, ledger))
    notes.append([_text_safe(notes, c.example) for c in ledger.columns])
    return _saved(workbook)


def _saved(workbook: Workbook) -> IO[bytes]:
    """The saved workbook, rewound; the caller (a FileResponse) closes it."""
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out


def _header(sheet, ledger: Ledger) -> list:
    return [_bold(sheet, c.header) for c in ledger.columns]


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell


def _widths(sheet, ledger: Ledger) -> None:
    for index, column in enumerate(ledger.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(column.header) * 3)


def _text_safe(sheet, value):
    """Text that starts with "=" is kept as text: openpyxl would otherwise write a formula
    that Excel runs when the file is opened."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
