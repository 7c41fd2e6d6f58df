"""The visit ledger (走访台账): export to .xlsx in the layout offices keep, and import from it.

Layout: row 1 the title, row 2 the unit and period, row 3 the header row (the Chinese column
names the importer looks for in the first five rows), one row per visit, and a 合计 row of
totals that the importer skips. Households are masked unless the exporter may read their
personal data (DOMAIN §16), decided from the exporter's scope without a query per row.

An import checks every row by the same rules as the visit form (group size, dates, contact
places, discipline) and writes all rows in one transaction, or none.
"""

from __future__ import annotations

import datetime
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from ducha.audit.services import audit_record
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers.common import (
    BATCH_SIZE,
    ImportResult,
    RowReader,
    chunked,
    columns_by_key,
    common_path,
    fetch_by_code,
)
from ducha.orgs.ledgers.readers import NOTES_SHEET, Column, RowError, cell_text, read_table
from ducha.orgs.ledgers.services import ExportFile, clean_filename
from ducha.orgs.models import OrgUnit

from . import selectors, services
from .models import ChecklistTemplate, Visit

LEDGER_NAME = "走访台账"
TOTALS = "合计"
HEADER_ROW = 3
TARGET_NAMES = {
    ChecklistTemplate.Target.VILLAGE: "村（社、居）",
    ChecklistTemplate.Target.ENTERPRISE: "企业",
    ChecklistTemplate.Target.UNIT: "单位",
}
_LIST_SPLIT = ("、", "，", ",", ";", "；", "\n", " ")

COLUMNS = (
    Column("seq", "序号", "No.", help=gettext_lazy("Ignored on import."), example="1"),
    Column(
        "date",
        "日期",
        "Date",
        required=True,
        help=gettext_lazy("Date of the visit, e.g. 2012-05-08."),
        example="2012-05-08",
        aliases=("走访日期",),
    ),
    Column(
        "unit_code",
        "走访单位编码",
        "Unit code",
        required=True,
        help=gettext_lazy("Code of the visiting unit; one whose visits you log."),
        example="H01",
    ),
    Column("unit_name", "走访单位", "Unit", help=gettext_lazy("Ignored on import."), example=""),
    Column(
        "visitor_codes",
        "走访人员工号",
        "Visitor staff numbers",
        required=True,
        help=gettext_lazy("Staff numbers of the visit group, separated by 、."),
        example="P000001、P000002",
    ),
    Column(
        "visitor_names", "走访人员", "Visitors", help=gettext_lazy("Ignored on import."), example=""
    ),
    Column("group_size", "人数", "Group size", help=gettext_lazy("Ignored on import."), example=""),
    Column(
        "place_codes",
        "走访对象编码",
        "Place codes",
        help=gettext_lazy(
            "Codes of the villages, enterprises or households visited, separated by 、."
        ),
        example="V01",
    ),
    Column(
        "place_names", "走访对象", "Places", help=gettext_lazy("Ignored on import."), example=""
    ),
    Column("target_kind", "对象类型", "Kind", help=gettext_lazy("Ignored on import."), example=""),
    Column(
        "target_unit_code",
        "被走访单位编码",
        "Unit visited",
        help=gettext_lazy("Code of the unit visited, for leaders' visits to units."),
        example="",
    ),
    Column(
        "checklist",
        "清单",
        "Checklist",
        help=gettext_lazy("Name of the checklist; empty: the one the campaign prescribes."),
        example="三访三问三查",
    ),
    Column(
        "done_items",
        "完成事项",
        "Items done",
        help=gettext_lazy(
            "One item per line: the items ticked, and questions as “question：answer”."
        ),
        example="访贫困户",
    ),
    Column(
        "notes",
        "走访情况",
        "Notes",
        help=gettext_lazy("What was seen and done."),
        example="",
        aliases=("民情日记",),
    ),
    Column(
        "problems", "发现问题", "Problems found", help=gettext_lazy("One per line."), example=""
    ),
    Column(
        "discipline",
        "遵守纪律",
        "Discipline kept",
        help=gettext_lazy("是 when the group kept the campaign's discipline rules."),
        example="是",
    ),
    Column("photos", "照片数", "Photos", help=gettext_lazy("Ignored on import."), example=""),
    Column(
        "recorder", "记录人", "Recorded by", help=gettext_lazy("Ignored on import."), example=""
    ),
)
_COLUMNS = columns_by_key(COLUMNS)
WIDTHS = {
    "seq": 6,
    "date": 12,
    "unit_code": 12,
    "unit_name": 20,
    "visitor_codes": 18,
    "visitor_names": 18,
    "group_size": 6,
    "place_codes": 16,
    "place_names": 22,
    "target_kind": 10,
    "target_unit_code": 12,
    "checklist": 14,
    "done_items": 28,
    "notes": 40,
    "problems": 30,
    "discipline": 8,
    "photos": 7,
    "recorder": 10,
}
WRAPPED = {"visitor_names", "place_names", "done_items", "notes", "problems", "unit_name"}
FIELD_COLUMNS = {
    "date": "date",
    "unit": "unit_code",
    "visitors": "visitor_codes",
    "places": "place_codes",
    "target_unit": "target_unit_code",
    "checklist": "checklist",
    "checklist_answers": "done_items",
    "notes": "notes",
    "problems_found": "problems",
    "discipline_affirmed": "discipline",
}


def _split(text: str, separators=_LIST_SPLIT) -> list[str]:
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [part.strip() for part in text.split(separators[0]) if part.strip()]


# --- export --------------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _answers_text(visit: Visit) -> str:
    if not visit.checklist:
        return ""
    lines = []
    for item in visit.checklist.items:
        value = visit.checklist_answers.get(item["key"])
        if value is True:
            lines.append(item["text"])
        elif isinstance(value, str) and value:
            lines.append(f"{item['text']}：{value}")
    return "\n".join(lines)


def visit_rows(actor, visits) -> list[list]:
    masker = access.PlaceMasker(actor)
    rows = []
    for number, visit in enumerate(visits, start=1):
        visitors = list(visit.visitors.all())
        places = list(visit.places.all())
        rows.append(
            [
                number,
                visit.date,
                visit.unit.code,
                visit.unit.name,
                "、".join(p.code for p in visitors),
                "、".join(p.name for p in visitors),
                len(visitors),
                "、".join(p.code for p in places),
                "、".join(masker.values(p)["name"] for p in places),
                TARGET_NAMES.get(visit.target_kind, ""),
                visit.target_unit.code if visit.target_unit else "",
                visit.checklist.name if visit.checklist else "",
                _answers_text(visit),
                visit.notes,
                visit.problems_found,
                "是" if visit.discipline_affirmed else "否",
                visit.photo_count,
                visit.created_by.get_full_name() or visit.created_by.username
                if visit.created_by
                else "",
            ]
        )
    return rows


def ledger_workbook(
    rows: list[list], *, title: str, subtitle: str, with_notes: bool = False
) -> IO[bytes]:
    """The ledger as an .xlsx: title, subtitle, header, rows and totals, print-ready."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = LEDGER_NAME
    width = len(COLUMNS)
    last = get_column_letter(width)
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="left")
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.key]
    for row in rows:
        sheet.append(row)
    if rows:
        sheet.append(_totals(rows))
    # Named styles, registered once: setting a cell's border and alignment one by one costs
    # more than writing the cell (openpyxl hashes each style object it is given).
    styles = _ledger_styles(workbook)
    column_styles = [
        styles["date"] if c.key == "date" else styles["wrap" if c.key in WRAPPED else "plain"]
        for c in COLUMNS
    ]
    total_row = sheet.max_row if rows else None
    for row_cells in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=sheet.max_row):
        for index, cell in enumerate(row_cells):
            if cell.row == total_row:
                cell.style = styles["total"]
            else:
                cell.style = column_styles[index]
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # Typed text stays text: Excel would otherwise run it as a formula.
                cell.data_type = "s"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if with_notes:
        _notes_sheet(workbook)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out


def _ledger_styles(workbook: Workbook) -> dict[str, str]:
    names = {}
    for key, wrap, number_format, bold in (
        ("plain", False, "General", False),
        ("wrap", True, "General", False),
        ("date", False, "yyyy-mm-dd", False),
        ("total", False, "General", True),
    ):
        style = NamedStyle(name=f"ducha-ledger-{key}")
        style.border = _BORDER
        style.alignment = Alignment(vertical="top", wrap_text=wrap)
        style.number_format = number_format
        if bold:
            style.font = Font(bold=True)
            style.fill = _TOTAL_FILL
        workbook.add_named_style(style)
        names[key] = style.name
    return names


def _totals(rows: list[list]) -> list:
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    totals: list = [""] * len(COLUMNS)
    totals[index["seq"]] = TOTALS
    totals[index["date"]] = f"{len(rows)}次"
    totals[index["group_size"]] = sum(r[index["group_size"]] for r in rows)
    places = {code for r in rows for code in _split(r[index["place_codes"]])}
    totals[index["place_names"]] = f"{len(places)}个地点"
    with_problems = sum(1 for r in rows if r[index["problems"]])
    totals[index["problems"]] = f"{with_problems}次走访发现问题"
    totals[index["photos"]] = sum(r[index["photos"]] for r in rows)
    return totals


def _notes_sheet(workbook: Workbook) -> None:
    notes = workbook.create_sheet(NOTES_SHEET)
    for letter, width in zip("ABCD", (16, 22, 8, 70), strict=True):
        notes.column_dimensions[letter].width = width
    notes.append(["列名", "English", _("Required"), _("What to enter")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        notes.append(
            [column.header, column.english, "是" if column.required else "", str(column.help)]
        )


def visit_ledger_export(
    *,
    actor,
    campaign: Campaign,
    unit: OrgUnit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> ExportFile:
    """The visits the actor may see, one row each, with totals; one "export" audit entry."""
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.has_any_cap(actor, Cap.VIEW):
        raise PermissionDenied
    visits = (
        selectors.visits_list(
            actor, campaign=campaign, unit=unit, date_from=date_from, date_to=date_to
        )
        .select_related("created_by")
        .order_by("date", "id")
    )
    rows = visit_rows(actor, visits)
    now = timezone.localtime()
    start = date_from or campaign.starts_on or (rows[0][1] if rows else None)
    end = date_to or campaign.ends_on or (rows[-1][1] if rows else None)
    who = unit.name if unit else "、".join(u.name for u in access.scope_roots(actor))
    period = f"{start or '—'} 至 {end or '—'}"
    username = getattr(actor, "username", "")
    file = ledger_workbook(
        rows,
        title=f"{campaign.title}{LEDGER_NAME}",
        subtitle=f"单位：{who}　　期间：{period}　　导出：{username} {now:%Y-%m-%d %H:%M}",
    )
    filename = f"{LEDGER_NAME}-{now:%Y%m%d-%H%M}.xlsx"
    audit_record(
        actor=actor,
        action="export",
        object_type=Visit._meta.label_lower,
        object_repr=filename,
        unit_path=unit.path if unit else common_path(access.scope_paths(actor)),
        after={"file": filename, "campaign": campaign.pk, "rows": len(rows)},
    )
    return ExportFile(filename=filename, file=file, rows=len(rows))


def visit_ledger_template(*, campaign: Campaign) -> ExportFile:
    file = ledger_workbook(
        [],
        title=f"{campaign.title}{LEDGER_NAME}",
        subtitle="单位：　　期间：",
        with_notes=True,
    )
    return ExportFile(filename=f"{LEDGER_NAME}-导入模板.xlsx", file=file, rows=0)


# --- import --------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: RowReader
    date: datetime.date | None
    unit_code: str
    visitor_codes: list[str]
    place_codes: list[str]
    target_unit_code: str
    checklist_name: str
    done_items: list[str]
    notes: str
    problems: str
    discipline: bool
    draft: services.VisitDraft | None = None
    token: str = ""
    errors: list[RowError] = field(default_factory=list)


def _error(row: _Row, key: str, message: str) -> None:
    row.errors.append(RowError(row.number, _COLUMNS[key].header if key else "", message))


def _has_error(row: _Row, key: str) -> bool:
    header = _COLUMNS[key].header
    return any(e.column == header for e in row.errors + row.cells.errors)


def visit_ledger_import(
    *, actor, campaign: Campaign, file: IO[bytes], filename: str
) -> ImportResult:
    """Read a visit ledger into the campaign: every row is checked like a visit entered on
    the form; all rows are written in one transaction, or none when any row is wrong."""
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.has_any_cap(actor, Cap.LOG_VISITS):
        raise PermissionDenied
    filename = clean_filename(filename)
    table = read_table(file, COLUMNS)
    if table.errors:
        return ImportResult(filename=filename, errors=table.errors)
    rows = _read_rows(table)
    if not rows:
        raise ValidationError(
            _("The file has a header row but no data rows below it."), code="no_rows"
        )
    _resolve(actor, campaign, rows)
    errors = [e for row in rows for e in (row.cells.errors + row.errors)]
    if errors:
        errors.sort(key=lambda e: e.row)
        return ImportResult(filename=filename, rows=len(rows), errors=errors)
    created = _write(actor, campaign, rows, filename)
    return ImportResult(filename=filename, rows=len(rows), created=created)


def _read_rows(table) -> list[_Row]:
    rows = []
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        if cell_text(values.get("seq")) == TOTALS:
            continue
        discipline = cells.bool("discipline")
        rows.append(
            _Row(
                number=number,
                cells=cells,
                date=cells.date("date"),
                unit_code=cells.text("unit_code", required=True),
                visitor_codes=_split(cells.text("visitor_codes", required=True)),
                place_codes=_split(cells.text("place_codes")),
                target_unit_code=cells.text("target_unit_code"),
                checklist_name=cells.text("checklist"),
                done_items=_split(cells.text("done_items"), ("\n", "；", ";")),
                notes=cells.text("notes"),
                problems=cells.text("problems"),
                discipline=bool(discipline),
            )
        )
        if rows[-1].date is None and not cells.errors_for("date"):
            cells.error("date", _("This cell must be filled in."))
    return rows


def _resolve(actor, campaign: Campaign, rows: list[_Row]) -> None:
    """Look up every code in a few queries per chunk, then check each row's visit."""
    units = fetch_by_code(
        access.units_for_user(actor, Cap.LOG_VISITS), (r.unit_code for r in rows if r.unit_code)
    )
    people = fetch_by_code(
        access.people_for_user(actor).select_related("unit"),
        (c for r in rows for c in r.visitor_codes),
    )
    places = fetch_by_code(
        access.places_for_user(actor).select_related("unit", "parent"),
        (c for r in rows for c in r.place_codes),
    )
    target_units = fetch_by_code(
        access.units_for_user(actor), (r.target_unit_code for r in rows if r.target_unit_code)
    )
    templates = list(selectors.checklists_for(campaign))
    by_name = {}
    for template in reversed(templates):  # the campaign's own win over built-ins
        by_name[template.name] = template
        by_name[template.code] = template
    today = selectors.today()

    for row in rows:
        unit = units.get(row.unit_code)
        if row.unit_code and unit is None:
            _error(
                row,
                "unit_code",
                _("No unit with the code “%(code)s” among the units whose visits you log.")
                % {"code": row.unit_code},
            )
        visitors = []
        for code in row.visitor_codes:
            if code in people:
                visitors.append(people[code])
            else:
                _error(
                    row,
                    "visitor_codes",
                    _("No person with the staff number “%(code)s” among the people you can see.")
                    % {"code": code},
                )
        visited = []
        for code in row.place_codes:
            if code in places:
                visited.append(places[code])
            else:
                _error(
                    row,
                    "place_codes",
                    _("No place with the code “%(code)s” among the places you can see.")
                    % {"code": code},
                )
        target_unit = target_units.get(row.target_unit_code)
        if row.target_unit_code and target_unit is None:
            _error(
                row,
                "target_unit_code",
                _("No unit with the code “%(code)s” among the units you can see.")
                % {"code": row.target_unit_code},
            )
        if unit is None:
            continue
        draft = services.VisitDraft(
            campaign=campaign,
            unit=unit,
            date=row.date,
            visitors=visitors,
            places=visited,
            target_unit=target_unit,
            notes=row.notes,
            problems_found=row.problems,
            discipline_affirmed=row.discipline,
        )
        if row.checklist_name:
            draft.checklist = by_name.get(row.checklist_name)
            if draft.checklist is None:
                _error(
                    row,
                    "checklist",
                    _("“%(name)s” is not a checklist of this campaign.")
                    % {"name": row.checklist_name},
                )
        else:
            draft.checklist = selectors.default_checklist(templates, draft.target_kind)
        if draft.checklist is not None:
            draft.checklist_answers = _answers(row, draft.checklist)
        elif row.done_items:
            _error(row, "done_items", _("Name the checklist these items belong to."))
        row.draft = draft
        row.token = services.import_token(
            campaign.pk,
            unit.code,
            row.date,
            row.visitor_codes,
            row.place_codes,
            row.target_unit_code,
        )

    drafts = [r for r in rows if r.draft is not None]
    allowed, taking_part = _contact_places(campaign, drafts)
    for row in drafts:
        unit = row.draft.unit
        if not taking_part[unit.pk]:
            _error(
                row,
                "unit_code",
                _("%(unit)s does not take part in this campaign.") % {"unit": unit},
            )
        problems = services.visit_problems(
            row.draft, allowed_place_ids=allowed[unit.pk], templates=templates, today=today
        )
        for key, messages in problems.items():
            column = FIELD_COLUMNS.get(key, "")
            if column and _has_error(row, column):
                continue  # an unknown code in this column already explains it
            for message in messages:
                _error(row, column, message)
    _duplicates(campaign, drafts)


def _answers(row: _Row, template: ChecklistTemplate) -> dict:
    """Items named by their text (or number); questions as "question：answer"."""
    items = template.items
    answers: dict = {}
    for entry in row.done_items:
        text, sep, answer = entry.replace(":", "：").partition("：")
        text = text.strip()
        item = next((i for i in items if i["text"] == text), None)
        if item is None and text.isdigit() and 1 <= int(text) <= len(items):
            item = items[int(text) - 1]
        if item is None:
            _error(
                row,
                "done_items",
                _("“%(item)s” is not an item of “%(list)s”.")
                % {"item": text, "list": template.name},
            )
            continue
        if item.get("kind") == "text":
            answers[item["key"]] = answer.strip() if sep else ""
        else:
            answers[item["key"]] = True
    return answers


def _contact_places(campaign: Campaign, rows: list[_Row]):
    """Per visiting unit: which of the file's places it may visit, and whether it takes part
    (a query per distinct unit and chunk of places, not per row)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    units: dict[int, OrgUnit] = {}
    for row in rows:
        units[row.draft.unit.pk] = row.draft.unit
        wanted[row.draft.unit.pk].update(p.pk for p in row.draft.places)
    allowed: dict[int, set[int]] = {}
    taking_part: dict[int, bool] = {}
    for pk, unit in units.items():
        allowed[pk] = set()
        for chunk in chunked(sorted(wanted[pk])):
            allowed[pk].update(
                selectors.contact_places(campaign, unit)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            )
        taking_part[pk] = selectors.takes_part(campaign, unit)
    return allowed, taking_part


def _signature(unit_id, day, visitor_ids, place_ids, target_unit_id):
    return (unit_id, day, frozenset(visitor_ids), frozenset(place_ids), target_unit_id)


def _duplicates(campaign: Campaign, rows: list[_Row]) -> None:
    """The same visit twice in the file, or already recorded (by hand or an earlier import)."""
    tokens = [r.token for r in rows]
    taken: set[str] = set()
    for chunk in chunked(tokens):
        taken.update(
            Visit.objects.filter(client_token__in=chunk).values_list("client_token", flat=True)
        )
    recorded = set()
    unit_ids = {r.draft.unit.pk for r in rows}
    days = {r.draft.date for r in rows if r.draft.date}
    if days:
        existing = Visit.objects.filter(
            campaign=campaign, unit_id__in=unit_ids, date__in=days
        ).prefetch_related("visitors", "places")
        for visit in existing:
            recorded.add(
                _signature(
                    visit.unit_id,
                    visit.date,
                    [p.pk for p in visit.visitors.all()],
                    [p.pk for p in visit.places.all()],
                    visit.target_unit_id,
                )
            )
    first: dict = {}
    for row in rows:
        draft = row.draft
        signature = _signature(
            draft.unit.pk,
            draft.date,
            [p.pk for p in draft.visitors],
            [p.pk for p in draft.places],
            draft.target_unit.pk if draft.target_unit else None,
        )
        if row.token in taken or signature in recorded:
            _error(row, "", _("This visit is already recorded."))
        elif signature in first:
            _error(row, "", _("The same visit is on row %(row)s.") % {"row": first[signature]})
        else:
            first[signature] = row.number


def _write(actor, campaign: Campaign, rows: list[_Row], filename: str) -> int:
    user = actor if getattr(actor, "pk", None) else None
    visits = []
    for row in rows:
        draft = row.draft
        answers, _problems = (
            services.clean_answers(draft.checklist, draft.checklist_answers)
            if draft.checklist
            else ({}, [])
        )
        visits.append(
            Visit(
                campaign=campaign,
                unit=draft.unit,
                date=draft.date,
                target_unit=draft.target_unit,
                target_kind=draft.target_kind,
                checklist=draft.checklist,
                checklist_answers=answers,
                notes=draft.notes,
                problems_found=draft.problems_found,
                discipline_affirmed=draft.discipline_affirmed,
                created_by=user,
                client_token=row.token,
            )
        )
    with transaction.atomic():
        Visit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
        if not all(v.pk for v in visits):
            ids = dict(
                Visit.objects.filter(client_token__in=[v.client_token for v in visits]).values_list(
                    "client_token", "id"
                )
            )
            for visit in visits:
                visit.pk = ids[visit.client_token]
        Visitor = Visit.visitors.through
        Visited = Visit.places.through
        Visitor.objects.bulk_create(
            [
                Visitor(visit_id=v.pk, person_id=p.pk)
                for v, row in zip(visits, rows, strict=True)
                for p in {p.pk: p for p in row.draft.visitors}.values()
            ],
            batch_size=BATCH_SIZE,
        )
        Visited.objects.bulk_create(
            [
                Visited(visit_id=v.pk, place_id=p.pk)
                for v, row in zip(visits, rows, strict=True)
                for p in {p.pk: p for p in row.draft.places}.values()
            ],
            batch_size=BATCH_SIZE,
        )
        audit_record(
            actor=actor,
            action="import",
            object_type=Visit._meta.label_lower,
            object_repr=filename[:200],
            unit_path=common_path(v.unit.path for v in visits),
            after={
                "file": filename,
                "campaign": campaign.pk,
                "rows": len(visits),
                "visits": [v.pk for v in visits][:50],
            },
        )
    return len(visits)
