"""The dashboard's units × requirements grid as an .xlsx, in the layout of an office register.

Row 1 the title, row 2 the as-of date, row 3 the header; one row per unit (roll-up rows in
bold, names indented by level), one column per requirement with the status in Chinese and
its fill colour, then the totals and the two rates over all due dates so far.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ducha.audit.services import audit_record
from ducha.orgs import access

from . import rates
from .rates import STATUS_CHINESE, CellStatus

# The same colours as the dashboard's cells, light enough to print.
FILLS = {
    status: PatternFill("solid", start_color=colour, end_color=colour)
    for status, colour in (
        (CellStatus.ON_TIME, "C6EFCE"),
        (CellStatus.LATE, "FFEB9C"),
        (CellStatus.RETURNED, "F8CBAD"),
        (CellStatus.MISSING, "FFC7CE"),
        (CellStatus.PENDING, "EDEDED"),
    )
}
TOTAL_HEADERS = ["应报", "已报", "按时", "逾期", "退回", "未报", "上报率", "及时率"]
_BOLD = Font(bold=True)
_SPOOL_BYTES = 8 * 1024 * 1024


@dataclass
class GridExport:
    filename: str
    file: IO[bytes]
    rows: int


def rates_grid_export(
    *,
    actor,
    campaign,
    under=None,
    period: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> GridExport:
    """The grid the dashboard shows to `actor` (same scope, unit filter and period) as .xlsx;
    recorded as one "export" audit entry."""
    result = rates.campaign_rates(campaign=campaign, user=actor, under=under, as_of=as_of)
    grid = rates.rates_grid(result, period=period)
    now = timezone.localtime(timezone.now(), rates.CST)
    file, count = _workbook(result, grid, now=now, username=getattr(actor, "username", ""))
    filename = f"报送情况-{campaign.pk}-{result.as_of:%Y%m%d}.xlsx"
    audit_record(
        actor=actor,
        action="export",
        obj=campaign,
        unit_path=under.path if under is not None else _common_path(access.scope_paths(actor)),
        after={
            "file": filename,
            "rows": count,
            "as_of": result.as_of.isoformat(),
            "period": period.isoformat() if period else None,
            "under": under.pk if under is not None else None,
        },
    )
    return GridExport(filename=filename, file=file, rows=count)


def _workbook(result: rates.CampaignRates, grid: rates.Grid, *, now, username: str):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("报送情况")
    widths = [14, 28] + [18] * len(grid.columns) + [8] * len(TOTAL_HEADERS)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C4"

    sheet.append([_cell(sheet, f"{result.campaign.title} 报送情况表", bold=True)])
    sheet.append(
        [
            f"统计截至 {result.as_of:%Y-%m-%d}（北京时间，当日截止的尚未计入逾期）",
            None,
            _cell(sheet, f"{username} 导出于 {now:%Y-%m-%d %H:%M}"),
        ]
    )
    header = ["单位编码", "单位名称"]
    header += [f"{c.requirement.title}（{c.due_date:%Y-%m-%d}）" for c in grid.columns]
    header += TOTAL_HEADERS
    sheet.append([_cell(sheet, h, bold=True) for h in header])

    for row in grid.rows:
        unit, totals = row.unit, row.totals
        rollup = unit.has_children
        name = _cell(sheet, unit.name, bold=rollup)
        name.alignment = Alignment(indent=unit.level)
        values = [_cell(sheet, unit.code, bold=rollup), name]
        for cell in row.cells:
            values.append(_status_cell(sheet, cell, rollup_only=not unit.is_reporting))
        values += [
            totals.expected,
            totals.received,
            totals.on_time,
            totals.late,
            totals.returned,
            totals.missing,
            _rate_cell(sheet, totals.reporting_rate),
            _rate_cell(sheet, totals.timeliness),
        ]
        sheet.append(values)

    total = result.total
    footer = [_cell(sheet, "合计", bold=True), None]
    footer += [
        _cell(sheet, f"已报 {c.totals.received}/应报 {c.totals.expected}") for c in grid.columns
    ]
    footer += [
        total.expected,
        total.received,
        total.on_time,
        total.late,
        total.returned,
        total.missing,
        _rate_cell(sheet, total.reporting_rate),
        _rate_cell(sheet, total.timeliness),
    ]
    sheet.append(footer)
    return _saved(workbook), len(grid.rows)


def _status_cell(sheet, cell: rates.GridCell, *, rollup_only: bool):
    if rollup_only:
        sums = cell.rollup
        return _cell(sheet, f"已报 {sums.received}/应报 {sums.expected}") if sums else "—"
    if not cell.status:
        return "—"  # this unit need not hand the requirement in
    out = _cell(sheet, STATUS_CHINESE[CellStatus(cell.status)])
    out.fill = FILLS[CellStatus(cell.status)]
    return out


def _rate_cell(sheet, value: float | None):
    if value is None:
        return "—"  # nothing expected: not 0%
    out = WriteOnlyCell(sheet, value=round(value, 4))
    out.number_format = "0.0%"
    return out


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula Excel would run
    if bold:
        cell.font = _BOLD
    return cell


def _saved(workbook: Workbook) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out


def _common_path(paths: list[str]) -> str:
    """The deepest unit path that holds all of `paths` ("" when they share no root)."""
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common = parts[0]
    for other in parts[1:]:
        size = 0
        while size < min(len(common), len(other)) and common[size] == other[size]:
            size += 1
        common = common[:size]
    return "/" + "/".join(common) + "/" if common else ""
