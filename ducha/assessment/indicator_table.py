"""The indicator system as an .xlsx table (目标分解表): export, and import all or nothing.

One row an indicator, keyed by its order number (序号): a row whose number the campaign already
has updates that indicator, a new number adds one. Indicators missing from the table are kept.
The import is refused whole when a row is wrong or when the campaign's weights would not add
up to 100 afterwards, naming the rows; nothing is half-written.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import IO

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access

from .models import Indicator

# The table's columns: (field, Chinese header). Headers are matched in Chinese or English.
COLUMNS = [
    ("order", "序号"),
    ("content", "考核内容"),
    ("standard", "评分标准"),
    ("method", "考核方式"),
    ("weight", "分值"),
    ("target", "目标"),
    ("comparator", "比较"),
    ("target_value", "目标值"),
    ("computed_source", "数据来源"),
    ("veto", "一票否决"),
    ("leader", "分管领导"),
    ("responsible_unit", "责任单位"),
    ("responsible_person", "责任人"),
]
ENGLISH_HEADERS = {
    "order": "Order",
    "content": "Content",
    "standard": "Standard",
    "method": "Method",
    "weight": "Weight",
    "target": "Target",
    "comparator": "Comparator",
    "target_value": "Target value",
    "computed_source": "Computed from",
    "veto": "Veto item",
    "leader": "Leader in charge",
    "responsible_unit": "Responsible unit",
    "responsible_person": "Responsible person",
}
COMPARATOR_SIGNS = {
    "≥": "gte",
    ">=": "gte",
    "gte": "gte",
    "不低于": "gte",
    "≤": "lte",
    "<=": "lte",
    "lte": "lte",
    "不高于": "lte",
    "": "",
}
# Ways the plans write the methods besides the labels Ducha shows.
METHOD_SYNONYMS = {
    "材料审查": "material_review",
    "查阅资料": "material_review",
    "查阅台账": "material_review",
    "现场检查": "on_site",
    "实地查看": "on_site",
    "现场查看": "on_site",
    "问卷": "questionnaire",
    "问卷测评": "questionnaire",
    "自动计算": "computed",
}
YES = {"是", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "no", "n", "false", "0", ""}


def _labels(choices) -> dict[str, str]:
    """Every way a choice may be written in the table: its code, Chinese and English label."""
    found = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices:
                found[str(label).strip().lower()] = value
    for value, _label in choices:
        found[str(value).lower()] = value
    return found


def indicators_xlsx(campaign) -> bytes:
    """The campaign's indicator system as a workbook in the import's own layout."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "指标体系"
    sheet.append([header for _field, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    signs = {"gte": "≥", "lte": "≤", "": ""}
    with translation.override("zh-hans"):
        for i in campaign.indicators.select_related("responsible_unit"):
            sheet.append(
                [
                    i.order,
                    i.content,
                    i.standard,
                    str(i.get_method_display()),
                    i.weight,
                    i.target,
                    signs[i.comparator],
                    i.target_value,
                    "" if not i.is_computed else str(i.get_computed_source_display()),
                    "是" if i.veto else "否",
                    i.leader,
                    i.responsible_unit.code if i.responsible_unit else "",
                    i.responsible_person,
                ]
            )
    for column, width in zip(
        "ABCDEFGHIJKLM", (6, 30, 40, 12, 8, 14, 6, 8, 16, 8, 10, 14, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_map(header_row) -> dict[str, int]:
    wanted = {h: f for f, h in COLUMNS} | {h.lower(): f for f, h in ENGLISH_HEADERS.items()}
    found = {}
    for index, value in enumerate(header_row):
        field = wanted.get(str(value or "").strip()) or wanted.get(str(value or "").strip().lower())
        if field:
            found[field] = index
    return found


def _decimal(value) -> Decimal:
    text = str(value).strip().rstrip("%").strip()
    return Decimal(text)


def indicators_import(*, actor, campaign, file: IO[bytes]) -> int:
    """Create or update the campaign's indicators from an .xlsx table; returns the rows taken."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": [_("This is not an .xlsx workbook.")]}) from None
    rows = workbook.active.iter_rows(values_only=True)
    columns = _header_map(next(rows, ()))
    missing = [h for f, h in COLUMNS if f in ("order", "content", "weight") and f not in columns]
    if missing:
        raise ValidationError(
            {"file": [_("The table lacks the column(s): %(cols)s.") % {"cols": "、".join(missing)}]}
        )
    methods = _labels(Indicator.Method.choices) | METHOD_SYNONYMS
    sources = _labels(Indicator.Source.choices)
    in_scope = list(access.units_for_user(actor).only("id", "code", "name", "path"))
    units = {u.name: u for u in in_scope} | {u.code: u for u in in_scope if u.code}
    parsed, errors, seen = [], [], set()
    for number, values in enumerate(rows, 2):
        values = list(values)

        def get(field, values=values):
            index = columns.get(field)
            value = values[index] if index is not None and index < len(values) else None
            return "" if value is None else value

        if not any(str(v or "").strip() for v in values):
            continue
        row_errors = []
        fields: dict = {}
        try:
            fields["order"] = int(str(get("order")).strip())
            if fields["order"] < 0:
                raise ValueError
        except ValueError:
            row_errors.append(_("the order number must be a whole number"))
        else:
            if fields["order"] in seen:
                row_errors.append(_("the order number is used twice"))
            seen.add(fields["order"])
        fields["content"] = str(get("content")).strip()
        if not fields["content"]:
            row_errors.append(_("the content is empty"))
        try:
            fields["weight"] = _decimal(get("weight"))
            if not Decimal(0) <= fields["weight"] <= Decimal(100):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            row_errors.append(_("the weight must be a number from 0 to 100"))
        fields["standard"] = str(get("standard")).strip()
        fields["target"] = str(get("target")).strip()
        fields["leader"] = str(get("leader")).strip()
        fields["responsible_person"] = str(get("responsible_person")).strip()
        source = sources.get(str(get("computed_source")).strip().lower() or "none")
        if source is None:
            row_errors.append(
                _("unknown data source “%(value)s”") % {"value": get("computed_source")}
            )
        fields["computed_source"] = source or Indicator.Source.NONE
        method_text = str(get("method")).strip().lower()
        method = methods.get(method_text) if method_text else Indicator.Method.MATERIAL_REVIEW
        if method is None:
            row_errors.append(_("unknown method “%(value)s”") % {"value": get("method")})
        fields["method"] = method or Indicator.Method.MATERIAL_REVIEW
        if fields["computed_source"] != Indicator.Source.NONE:
            fields["method"] = Indicator.Method.COMPUTED
        comparator = COMPARATOR_SIGNS.get(str(get("comparator")).strip().lower())
        if comparator is None:
            row_errors.append(_("the comparator must be ≥ or ≤"))
        fields["comparator"] = comparator or ""
        target_value = get("target_value")
        fields["target_value"] = None
        if str(target_value).strip():
            try:
                fields["target_value"] = _decimal(target_value)
            except (InvalidOperation, ValueError):
                row_errors.append(_("the target value must be a number"))
        if fields["comparator"] and fields["target_value"] is None:
            row_errors.append(_("a comparator needs a target value"))
        veto = str(get("veto")).strip().lower()
        if veto not in YES | NO:
            row_errors.append(_("veto item must be 是 or 否"))
        fields["veto"] = veto in YES
        if fields["veto"] and (not fields["comparator"] or fields["target_value"] is None):
            row_errors.append(_("a veto item needs a numeric target to fail below"))
        unit_key = str(get("responsible_unit")).strip()
        fields["responsible_unit"] = None
        if unit_key:
            fields["responsible_unit"] = units.get(unit_key)
            if fields["responsible_unit"] is None:
                row_errors.append(_("unknown unit “%(unit)s”") % {"unit": unit_key})
        if row_errors:
            errors.append(
                _("Row %(row)s: %(errors)s.") % {"row": number, "errors": "；".join(row_errors)}
            )
        else:
            parsed.append(fields)
    if errors:
        raise ValidationError({"file": errors})
    if not parsed:
        raise ValidationError({"file": [_("The table has no rows.")]})
    with transaction.atomic():
        existing = {i.order: i for i in campaign.indicators.select_for_update()}
        for fields in parsed:
            indicator = existing.get(fields["order"])
            before = snapshot(indicator) if indicator else None
            if indicator is None:
                indicator = Indicator(campaign=campaign)
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.full_clean()
            indicator.save()
            audit_record(
                actor=actor,
                action="update" if before else "create",
                obj=indicator,
                unit_path=campaign.unit.path,
                before=before,
                after=snapshot(indicator),
            )
        total = sum((i.weight for i in campaign.indicators.all()), Decimal(0))
        if total != Decimal(100):
            raise ValidationError(
                {
                    "file": [
                        _(
                            "After this import the weights would add up to %(total)s, not 100: "
                            "nothing was imported."
                        )
                        % {"total": total}
                    ]
                }
            )
    return len(parsed)
