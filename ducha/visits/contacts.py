"""Importing contact assignments from a spreadsheet, such as a plan's visiting schedule
(局领导班子成员走访活动安排表: 姓名, 职务, 调研单位).

Units may be named as the plan writes them: "区第三人民医院、区妇幼保健院", or "院桥中心卫生院
及其管辖乡、镇（街道）卫生院", matched against units' names and short names; the wording is
kept on the assignment. All rows are written or none, as with the org ledgers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.audit.services import audit_record
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.ledgers.common import (
    BATCH_SIZE,
    ImportResult,
    RowReader,
    choice_names,
    columns_by_key,
)
from ducha.orgs.ledgers.readers import Column, RowError, read_table
from ducha.orgs.ledgers.services import clean_filename
from ducha.orgs.models import OrgUnit, Person, Place, Role, RoleAssignment

from . import services
from .models import ContactAssignment

Kind = ContactAssignment.Kind
KIND_NAMES = {
    Kind.LEADER_UNIT: ("领导走访单位", "调研单位", "走访单位"),
    Kind.LEADER_LIAISON: ("分管联系单位", "联系单位"),
    Kind.UNIT_PLACE: ("结对村企", "结对", "挂包帮"),
    Kind.DOCTOR_GRID: ("网格包干", "责任医生"),
}
# "及其管辖乡、镇（街道）卫生院": the units under the named one. The suffix contains 、 itself,
# so it goes before the list is split.
_SUBTREE = re.compile(r"及其(?:管辖|所属|下属)[^，,；;]*?(?:卫生院|单位|医院|站)")
_SPLIT = re.compile(r"[、，,；;/\n]+|(?<=[院所心站])和")
_SPACE = re.compile(r"[\s\u3000]+")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})

COLUMNS = (
    Column(
        "kind",
        "类型",
        "Kind",
        help=gettext_lazy("领导走访单位, 分管联系单位, 结对村企 or 网格包干; empty: 领导走访单位."),
        example="领导走访单位",
    ),
    Column(
        "name",
        "姓名",
        "Name",
        help=gettext_lazy("The leader's or doctor's name, as on the plan."),
        example="王蔚",
        aliases=("领导姓名",),
    ),
    Column(
        "person_code",
        "工号",
        "Staff number",
        help=gettext_lazy("Optional; needed when two people share the name."),
        example="",
        aliases=("人员编码",),
    ),
    Column("post", "职务", "Post", help=gettext_lazy("Optional."), example="党委委员、副局长"),
    Column(
        "unit_code",
        "单位编码",
        "Unit code",
        help=gettext_lazy("For 结对村企: code of the unit paired with the places."),
        example="",
    ),
    Column(
        "target",
        "联系对象",
        "Visited",
        help=gettext_lazy(
            "Units (or places) as the plan names them, separated by 、; "
            "“及其管辖…卫生院” is kept as written."
        ),
        example="院桥中心卫生院及其管辖乡、镇（街道）卫生院",
        aliases=("调研单位", "走访单位", "联系单位", "联系点", "结对村企"),
    ),
    Column(
        "target_codes",
        "联系对象编码",
        "Visited codes",
        help=gettext_lazy("Optional codes of the units or places, separated by 、."),
        example="",
    ),
)
_COLUMNS = columns_by_key(COLUMNS)


def normalise(name: str) -> str:
    return _SPACE.sub("", name or "").translate(_BRACKETS)


def split_targets(text: str) -> tuple[list[str], bool]:
    """The names in a plan's cell, and whether it said "and the units under them"."""
    text = normalise(text)
    subtree = bool(_SUBTREE.search(text))
    text = _SUBTREE.sub("", text)
    return [part for part in _SPLIT.split(text) if part], subtree


class UnitMatcher:
    """Finds units by the names offices write: full name, short name, or a unique unit
    whose name contains it."""

    def __init__(self, units):
        self.units = list(units)
        self.exact: dict[str, list[OrgUnit]] = {}
        for unit in self.units:
            for name in {normalise(unit.name), normalise(unit.short_name)} - {""}:
                self.exact.setdefault(name, []).append(unit)

    def find(self, name: str) -> OrgUnit | None:
        name = normalise(name)
        found = self.exact.get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            return None
        loose = [u for u in self.units if name in normalise(u.name) or normalise(u.name) in name]
        return loose[0] if len(loose) == 1 else None


@dataclass
class _Row:
    number: int
    kind: str
    person: Person | None
    unit: OrgUnit | None
    post: str
    text: str
    targets: list = field(default_factory=list)


def people_by_name(campaign: Campaign) -> dict[str, list[Person]]:
    people: dict[str, list[Person]] = {}
    for person in Person.objects.filter(unit__path__startswith=campaign.unit.path).select_related(
        "unit"
    ):
        people.setdefault(normalise(person.name), []).append(person)
    return people


def _leaders(campaign: Campaign) -> set[int]:
    return set(
        RoleAssignment.objects.filter(
            role=Role.BUREAU_LEADER, unit__path__startswith=campaign.unit.path
        ).values_list("person_id", flat=True)
    )


def contacts_import(*, actor, campaign: Campaign, file: IO[bytes], filename: str) -> ImportResult:
    """Read a contact-assignment table; write every pair it names, or nothing."""
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    services.require_editable(campaign)
    filename = clean_filename(filename)
    table = read_table(file, COLUMNS)
    if table.errors:
        return ImportResult(filename=filename, errors=table.errors)
    rows, errors = _validate(campaign, table)
    if errors:
        errors.sort(key=lambda e: e.row)
        return ImportResult(filename=filename, rows=len(table.rows), errors=errors)
    objs = [
        ContactAssignment(
            campaign=campaign,
            kind=row.kind,
            person=row.person,
            unit=row.unit,
            target_unit=target if isinstance(target, OrgUnit) else None,
            target_place=target if isinstance(target, Place) else None,
            target_text=row.text[:200],
            post=row.post[:60],
        )
        for row in rows
        for target in row.targets
    ]
    with transaction.atomic():
        ContactAssignment.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        audit_record(
            actor=actor,
            action="import",
            object_type=ContactAssignment._meta.label_lower,
            object_repr=filename[:200],
            unit_path=campaign.unit.path,
            after={"file": filename, "campaign": campaign.pk, "rows": len(objs)},
        )
    return ImportResult(filename=filename, rows=len(table.rows), created=len(objs))


def _validate(campaign: Campaign, table) -> tuple[list[_Row], list[RowError]]:
    kinds = choice_names(Kind, KIND_NAMES)
    units = list(OrgUnit.objects.filter(path__startswith=campaign.unit.path, is_active=True))
    matcher = UnitMatcher(units)
    units_by_code = {u.code: u for u in units}
    places = {
        p.code: p
        for p in Place.objects.filter(unit__path__startswith=campaign.unit.path).select_related(
            "unit"
        )
    }
    people = people_by_name(campaign)
    codes = {p.code: p for group in people.values() for p in group}
    leaders = _leaders(campaign)
    existing = set(
        ContactAssignment.objects.filter(campaign=campaign).values_list(
            "kind", "person_id", "unit_id", "target_unit_id", "target_place_id"
        )
    )
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        kind = cells.choice("kind", kinds) or Kind.LEADER_UNIT
        name = cells.text("name")
        person_code = cells.text("person_code")
        unit_code = cells.text("unit_code")
        text = cells.text("target")
        target_codes = [c for c in _SPLIT.split(cells.text("target_codes")) if c]
        row = _Row(number, kind, None, None, cells.text("post"), text)
        if kind == Kind.UNIT_PLACE:
            row.unit = units_by_code.get(unit_code)
            if row.unit is None:
                cells.error(
                    "unit_code",
                    _("No unit with the code “%(code)s” under the campaign's issuing unit.")
                    % {"code": unit_code}
                    if unit_code
                    else _("This cell must be filled in."),
                )
        elif person_code:
            row.person = codes.get(person_code)
            if row.person is None:
                cells.error(
                    "person_code",
                    _("No person with the staff number “%(code)s” under the campaign.")
                    % {"code": person_code},
                )
        elif not name:
            cells.error("name", _("This cell must be filled in."))
        else:
            found = people.get(normalise(name), [])
            if len(found) > 1 and kind in (Kind.LEADER_UNIT, Kind.LEADER_LIAISON):
                found = [p for p in found if p.pk in leaders] or found
            if len(found) == 1:
                row.person = found[0]
            elif not found:
                cells.error(
                    "name", _("Nobody named “%(name)s” works under the campaign.") % {"name": name}
                )
            else:
                cells.error(
                    "name",
                    _("%(n)s people are named “%(name)s”; give the staff number.")
                    % {"n": len(found), "name": name},
                )
        if not text and not target_codes:
            cells.error("target", _("This cell must be filled in."))
        wants_place = kind in (Kind.UNIT_PLACE, Kind.DOCTOR_GRID)
        for code in target_codes:
            target = places.get(code) if wants_place else units_by_code.get(code)
            if target is None:
                cells.error(
                    "target_codes",
                    _("No %(what)s with the code “%(code)s” under the campaign.")
                    % {"what": _("place") if wants_place else _("unit"), "code": code},
                )
            else:
                row.targets.append(target)
        if text and not target_codes:
            names, _subtree = split_targets(text)
            for part in names:
                target = (
                    next((p for p in places.values() if normalise(p.name) == part), None)
                    if wants_place
                    else matcher.find(part)
                )
                if target is None:
                    cells.error(
                        "target",
                        _("“%(name)s” matches no single %(what)s under the campaign.")
                        % {"name": part, "what": _("place") if wants_place else _("unit")},
                    )
                else:
                    row.targets.append(target)
        errors += cells.errors
        if cells.errors:
            continue
        for target in row.targets:
            candidate = ContactAssignment(
                campaign=campaign,
                kind=kind,
                person=row.person,
                unit=row.unit,
                target_unit=target if isinstance(target, OrgUnit) else None,
                target_place=target if isinstance(target, Place) else None,
            )
            for field_name, messages in services.assignment_problems(candidate, campaign).items():
                header = _COLUMNS["target"].header if field_name.startswith("target") else ""
                errors += [RowError(number, header, m) for m in messages]
            key = (
                kind,
                getattr(row.person, "pk", None),
                getattr(row.unit, "pk", None),
                candidate.target_unit_id,
                candidate.target_place_id,
            )
            if key in existing:
                errors.append(
                    RowError(
                        number,
                        _COLUMNS["target"].header,
                        _("“%(target)s” is already paired with them in this campaign.")
                        % {"target": target.name},
                    )
                )
            elif key in seen:
                errors.append(
                    RowError(
                        number,
                        _COLUMNS["target"].header,
                        _("The same pair is on row %(row)s.") % {"row": seen[key]},
                    )
                )
            seen.setdefault(key, number)
        rows.append(row)
    return rows, errors
