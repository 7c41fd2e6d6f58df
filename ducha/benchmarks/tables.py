"""The .xlsx table of a benchmark's outside values: its downloadable template and the reading
of an uploaded one into checked rows. Writing the rows is services.benchmark_values_import."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ducha.assessment.models import Indicator
from ducha.assessment.scoring import check_period
from ducha.orgs.ledgers.readers import (
    NOTES_SHEET,
    OLE2_MAGIC,
    ZIP_MAGIC,
    Column,
    cell_text,
    read_table,
)

from .models import Benchmark, BenchmarkValue

SOURCE_MAX = BenchmarkValue._meta.get_field("source").max_length

COLUMNS = (
    Column("indicator", "指标", "Indicator", required=True, aliases=("指标序号", "指标内容")),
    Column("period", "月份", "Month", required=True, aliases=("period",)),
    Column("value", "数值", "Value", required=True),
    Column("source", "来源", "Source", required=True),
)

# 2024-03, 2024/3, 2024.03, 2024年3月: offices write the month in all these ways.
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


@dataclass(frozen=True)
class ValueRow:
    number: int
    indicator: Indicator
    period: str
    value: Decimal
    source: str


def template_workbook(benchmark: Benchmark) -> IO[bytes]:
    """The header row to fill in, and 说明: the columns and the benchmark's indicators."""
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "标杆数值"
    sheet.append([c.header for c in COLUMNS])
    for cell, width in zip(sheet[1], (30, 12, 10, 40), strict=True):
        cell.font = bold
        sheet.column_dimensions[cell.column_letter].width = width
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 60
    notes.append([_("Benchmark"), benchmark.name])
    notes.append([])
    notes.append([_("Column"), _("What to enter")])
    notes.append(["指标", _("The indicator's order number or its exact content (see below).")])
    notes.append(["月份", _("The month, as YYYY-MM.")])
    notes.append(["数值", _("The benchmark's value: a percentage or a score from 0 to 100.")])
    notes.append(["来源", _("Where the value was published, e.g. a bulletin and its date.")])
    notes.append([])
    notes.append([_("Order number"), _("Indicators of this benchmark")])
    for indicator in benchmark.indicators.all():
        notes.append([indicator.order, indicator.content])
    for row in (notes[1], notes[3], notes[9]):
        for cell in row:
            cell.font = bold
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def read_value_rows(file: IO[bytes], benchmark: Benchmark) -> list[ValueRow]:
    """Every row of the uploaded table checked against the benchmark, or one ValidationError
    naming each bad row: a table is taken whole or not at all."""
    _require_xlsx(file)
    try:
        table = read_table(file, COLUMNS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    errors = [
        _("Row %(row)s, column “%(column)s”: %(reason)s")
        % {"row": e.row, "column": e.column, "reason": e.reason}
        for e in table.errors
    ]
    if errors:
        raise ValidationError({"file": errors})
    campaign_indicators = list(benchmark.campaign.indicators.all())
    chosen = {i.pk for i in benchmark.indicators.all()}
    rows: list[ValueRow] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in table.rows:
        before = len(errors)
        indicator = _indicator(number, cells["indicator"], campaign_indicators, chosen, errors)
        period = _period(number, cells["period"], errors)
        value = _value(number, cells["value"], errors)
        source = cell_text(cells["source"])
        if not source:
            errors.append(_("Row %(row)s: the source is missing.") % {"row": number})
        elif len(source) > SOURCE_MAX:
            errors.append(
                _("Row %(row)s: the source is longer than %(max)s characters.")
                % {"row": number, "max": SOURCE_MAX}
            )
        if len(errors) > before:
            continue
        key = (indicator.pk, period)
        if key in seen:
            errors.append(
                _("Row %(row)s: the same indicator and month as row %(first)s.")
                % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(ValueRow(number, indicator, period, value, source))
    if errors:
        raise ValidationError({"file": errors})
    return rows


def _require_xlsx(file: IO[bytes]) -> None:
    file.seek(0)
    head = file.read(len(OLE2_MAGIC))
    file.seek(0)
    # An old .xls goes on to the reader, whose message says how to save it as .xlsx.
    if not head.startswith(ZIP_MAGIC) and not head.startswith(OLE2_MAGIC):
        raise ValidationError({"file": [_("This is not an .xlsx workbook.")]})


def _indicator(number, cell, indicators, chosen, errors) -> Indicator | None:
    text = cell_text(cell)
    if text.isdigit():
        matches = [i for i in indicators if i.order == int(text)]
    else:
        matches = [i for i in indicators if i.content.strip() == text]
    if len(matches) > 1:
        # Two indicators may share a number; the benchmark's own choice settles it.
        matches = [i for i in matches if i.pk in chosen] or matches
    if not text or not matches:
        errors.append(
            _("Row %(row)s: unknown indicator “%(indicator)s”.")
            % {"row": number, "indicator": text}
        )
        return None
    if len(matches) > 1:
        errors.append(
            _("Row %(row)s: several indicators match “%(indicator)s”; give its exact content.")
            % {"row": number, "indicator": text}
        )
        return None
    if matches[0].pk not in chosen:
        errors.append(
            _("Row %(row)s: the indicator “%(indicator)s” is not compared on in this benchmark.")
            % {"row": number, "indicator": matches[0].content}
        )
        return None
    return matches[0]


def _period(number, cell, errors) -> str | None:
    if isinstance(cell, datetime.date):  # Excel turned 2024-03 into a date
        return f"{cell.year:04d}-{cell.month:02d}"
    text = cell_text(cell)
    match = _MONTH.match(text)
    period = f"{match[1]}-{int(match[2]):02d}" if match else text
    try:
        check_period(period)
    except ValidationError:
        errors.append(
            _("Row %(row)s: give the month as YYYY-MM, not “%(month)s”.")
            % {"row": number, "month": text}
        )
        return None
    return period


def _value(number, cell, errors) -> Decimal | None:
    text = cell_text(cell).rstrip("%％").strip()
    try:
        if isinstance(cell, bool):
            raise InvalidOperation
        value = Decimal(str(cell) if isinstance(cell, int | float) else text)
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(
            _("Row %(row)s: the value must be a number from 0 to 100, not “%(value)s”.")
            % {"row": number, "value": cell_text(cell)}
        )
        return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
