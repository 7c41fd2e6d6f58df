"""Reading an uploaded ledger (.xlsx or .csv) into numbered rows, and parsing typed cells.

The file's content decides how it is read, never its name: a PNG renamed .xlsx is refused
as a PNG. The header row is found by its column names in the first five rows, so a title row
above it (as our exports have) is fine; each data row keeps the number Excel shows for it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER_SCAN_ROWS = 5
# Beyond this a ledger is not a register any office keeps by hand; it also bounds memory.
MAX_ROWS = 100_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# The explaining sheet of our templates; never read as data.
NOTES_SHEET = "说明"


@dataclass(frozen=True)
class Column:
    """One column of a ledger. `header` is the fixed Chinese name offices use and our files
    carry; `english` and `aliases` are also accepted on import."""

    key: str
    header: str
    english: str
    required: bool = False
    help: Any = ""  # a lazy translation, read in the user's language
    example: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.header, self.english, self.key, *self.aliases)}


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (or a whole row when `column` is empty) of the file."""

    row: int
    column: str
    reason: str


@dataclass
class Table:
    header_row: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class CellError(ValueError):
    """A cell's content can't be read as the column's type; the message says why."""


# --- the file ------------------------------------------------------------------------------


def read_table(file: IO[bytes], columns: list[Column] | tuple[Column, ...]) -> Table:
    """Rows of an uploaded .xlsx or .csv, keyed by column, or ValidationError for a file that
    can't be read at all (empty, too large, not a spreadsheet, no header row)."""
    data = _read_limited(file)
    if not data.replace(codecs.BOM_UTF8, b"", 1).strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith(ZIP_MAGIC):
        sheets = _xlsx_sheets(data)
    elif data.startswith(OLE2_MAGIC):
        raise ValidationError(
            _(
                "This is an old Excel 97–2003 (.xls) file or a password-protected workbook. "
                "Open it in Excel or WPS, save it as .xlsx without a password, and upload that."
            ),
            code="xls",
        )
    else:
        sheets = [_csv_rows(data)]
    return _table_from(sheets, columns)


def _read_limited(file: IO[bytes]) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s. Split it into several files.")
        % {"size": size_text(limit)},
        code="too_large",
    )


def too_large_message() -> str:
    return _too_large(settings.IMPORT_MAX_BYTES).messages[0]


def size_text(size: int) -> str:
    """20 MB, 512 KB: the upload limit as people read it."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def _not_a_spreadsheet(data: bytes) -> ValidationError:
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return ValidationError(
            _(
                "This file is not a spreadsheet (it looks like a .%(ext)s file). "
                "Upload an .xlsx workbook or a .csv file."
            )
            % {"ext": kind.extension},
            code="not_spreadsheet",
        )
    return ValidationError(
        _("This file is not a spreadsheet. Upload an .xlsx workbook or a .csv file."),
        code="not_spreadsheet",
    )


def _xlsx_sheets(data: bytes) -> list:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they don't matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl's own errors all mean "can't read it"
        raise ValidationError(
            _(
                "This file is not a readable .xlsx workbook (it may be damaged, or another "
                "kind of file). Open it in Excel or WPS, save it as .xlsx and upload it again."
            ),
            code="bad_xlsx",
        ) from None
    sheets = []
    for sheet in workbook.worksheets:
        if sheet.title == NOTES_SHEET and len(workbook.worksheets) > 1:
            continue
        if hasattr(sheet, "reset_dimensions"):
            # Some programs write a wrong size into the file; read whatever rows are there.
            sheet.reset_dimensions()
        sheets.append(_SheetRows(sheet))
    return sheets


class _SheetRows:
    """A worksheet's rows, re-iterable, with a damaged sheet turned into one clear error."""

    def __init__(self, sheet):
        self.sheet = sheet

    def __iter__(self):
        try:
            yield from self.sheet.iter_rows(values_only=True)
        except Exception:  # the sheet's XML is damaged
            raise ValidationError(
                _("A worksheet of this workbook is damaged and can't be read."), code="bad_xlsx"
            ) from None


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode_text(data)
    if any(ch in text for ch in _CONTROL_CHARS):
        raise _not_a_spreadsheet(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",\t;", key=first.count) if first else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


_CONTROL_CHARS = {chr(c) for c in range(32) if chr(c) not in "\t\r\n"} | {"\x7f"}


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (a superset of GBK and
    GB2312: what Excel and WPS on Chinese Windows write for "CSV")."""
    if data.startswith(codecs.BOM_UTF8):
        data, encodings = data[len(codecs.BOM_UTF8) :], ["utf-8"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data[:8192]:
        raise _not_a_spreadsheet(data)
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_a_spreadsheet(data)


def _table_from(sheets, columns) -> Table:
    """Pick the first sheet with every required column (or the best partial match, to report
    what is missing), find its header row, and key its data rows by column."""
    best = None
    for sheet in sheets:
        rows = iter(sheet)
        head = []
        for _i in range(HEADER_SCAN_ROWS):
            try:
                head.append(next(rows))
            except StopIteration:
                break
        found = _find_header(head, columns)
        if found is None:
            continue
        row_index, mapping, problems = found
        missing = [c for c in columns if c.required and c.key not in mapping]
        score = (not missing, len(mapping))
        if best is None or score > best[0]:
            best = (score, sheet, row_index, mapping, problems, missing)
        if not missing:
            break
    if best is None:
        raise ValidationError(
            _(
                "No header row found: one of the first %(n)s rows must hold the column names "
                "(%(names)s)."
            )
            % {"n": HEADER_SCAN_ROWS, "names": "、".join(c.header for c in columns)},
            code="no_header",
        )
    _score, sheet, header_row, mapping, problems, missing = best
    table = Table(header_row=header_row, errors=problems)
    for column in missing:
        table.errors.append(
            RowError(header_row, column.header, _("This required column is missing."))
        )
    if table.errors:
        return table
    for number, row in enumerate(sheet, start=1):
        if number <= header_row:
            continue
        if row is None or all(_blank(v) for v in row):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s rows. Split it into several files.")
                % {"max": f"{MAX_ROWS:,}"},
                code="too_many_rows",
            )
        table.rows.append(
            (number, {key: (row[i] if i < len(row) else None) for key, i in mapping.items()})
        )
    if not table.rows:
        raise ValidationError(
            _("The file has a header row but no data rows below it."), code="no_rows"
        )
    return table


def _find_header(head, columns):
    """(row number, {key: column index}, problems) for the row naming the most columns."""
    lookup = {}
    for column in columns:
        for name in column.names():
            lookup[name] = column
    best = None
    for number, row in enumerate(head, start=1):
        mapping: dict[str, int] = {}
        problems: list[RowError] = []
        for index, value in enumerate(row or ()):
            if _blank(value):
                continue
            column = lookup.get(_norm(str(value)))
            if column is None:
                continue  # offices add their own columns (序号, 备用 …): ignored
            if column.key in mapping:
                problems.append(
                    RowError(number, column.header, _("This column appears more than once."))
                )
                continue
            mapping[column.key] = index
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (number, mapping, problems)
    return best


_NOTE = re.compile(r"[\(（][^\)）]*[\)）]$")
_STRIP = re.compile(r"[\s_\-*＊:：]")


def _norm(name: str) -> str:
    """编码（必填）, " Parent_code ", "parent code*" all compare equal to their plain form."""
    name = _NOTE.sub("", name.strip())
    return _STRIP.sub("", name).lower()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_SPACES))


# --- typed cells ---------------------------------------------------------------------------

_SPACES = " \t\r\n\u3000\xa0\ufeff"


def cell_text(value) -> str:
    """A cell as text: numbers lose a trailing .0 (a code typed as 1001 stays "1001"), dates
    become YYYY-MM-DD, and surrounding (also full-width) spaces go."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip(_SPACES)


def parse_int(value) -> int | None:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    text = cell_text(value)
    if not text:
        return None
    try:
        return int(text.replace(",", ""))
    except ValueError:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text}) from None


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "f"}


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Enter 是 or 否, not “%(value)s”.") % {"value": cell_text(value)})


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# Excel's serial day numbers: 1 is 1900-01-01, 2958465 is 9999-12-31.
_EXCEL_SERIAL_MAX = 2958465


def parse_date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number, or text such as 2024-03-05,
    2024/3/5, 2024.3.5, 2024年3月5日 or 20240305."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_SERIAL_MAX:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise CellError(_("“%(value)s” is not a valid date.") % {"value": cell_text(value)})
    text = cell_text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a valid date (write it as YYYY-MM-DD).") % {"value": text}
    )


def parse_choice(value, names: dict[str, str]) -> str | None:
    """The stored value for a cell holding a value or any accepted name of a choice."""
    text = cell_text(value)
    if not text:
        return None
    found = names.get(text) or names.get(text.lower())
    if found is None:
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(dict.fromkeys(_first_names(names)))}
        )
    return found


def _first_names(names: dict[str, str]) -> list[str]:
    """The first name listed for each value, for error messages."""
    seen: dict[str, str] = {}
    for name, value in names.items():
        seen.setdefault(value, name)
    return list(seen.values())
