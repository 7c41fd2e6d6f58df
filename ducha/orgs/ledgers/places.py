"""The places ledger (地点): villages, communities, enterprises, households and grid cells,
imported under units whose places the importer manages, and exported with households'
personal data masked for those who may not read it (DOMAIN §16)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..access import Cap
from ..models import OrgUnit, Person, Place
from .common import (
    BATCH_SIZE,
    Ledger,
    RowReader,
    Written,
    choice_names,
    columns_by_key,
    common_path,
    duplicate_errors,
    ensure_pks,
    existing_codes,
    fetch_by_code,
    lazy_format,
    levels,
)
from .readers import Column, RowError, Table, cell_text

KIND_NAMES = {
    Place.Kind.VILLAGE: ("村", "行政村"),
    Place.Kind.COMMUNITY: ("社区", "居委会", "居"),
    Place.Kind.ENTERPRISE: ("企业",),
    Place.Kind.HOUSEHOLD: ("农户", "户", "住户"),
    Place.Kind.GRID_CELL: ("网格",),
}
HOUSEHOLD_KIND_NAMES = {
    Place.HouseholdKind.POOR: ("贫困户",),
    Place.HouseholdKind.VETERAN_PARTY_MEMBER: ("老党员", "老党员户"),
    Place.HouseholdKind.PETITIONER: ("信访户",),
    Place.HouseholdKind.OTHER: ("其他", "其他户", "一般户"),
}
# Village → grid cell → household is three; the cap bounds the per-level INSERTs.
MAX_DEPTH = 10

COLUMNS = (
    Column(
        "code",
        "编码",
        "Code",
        required=True,
        help=gettext_lazy("Unique code of the place."),
        example="V01-HH07",
        aliases=("地点编码",),
    ),
    Column(
        "name",
        "名称",
        "Name",
        required=True,
        help=gettext_lazy("Name of the place; for a household, e.g. 王大明户."),
        example="王大明户",
        aliases=("地点名称",),
    ),
    Column(
        "kind",
        "类型",
        "Kind",
        required=True,
        help=lazy_format(
            gettext_lazy("One of: %(names)s."),
            names="、".join(names[0] for names in KIND_NAMES.values()),
        ),
        example="农户",
        aliases=("地点类型",),
    ),
    Column(
        "unit_code",
        "责任单位编码",
        "Unit code",
        required=True,
        help=gettext_lazy("Code of the responsible unit; a unit whose places you manage."),
        example="H01",
        aliases=("单位编码", "责任单位"),
    ),
    Column(
        "parent_code",
        "所属地点编码",
        "Parent place code",
        help=gettext_lazy(
            "Optional code of the place it lies in (a village, community or grid cell): an "
            "existing place or another row of this file."
        ),
        example="V01",
        aliases=("上级地点编码", "所属地点"),
    ),
    Column(
        "address",
        "地址",
        "Address",
        help=gettext_lazy("Optional address."),
        example="东湖村三组12号",
    ),
    Column(
        "household_kind",
        "户类型",
        "Household kind",
        help=lazy_format(
            gettext_lazy("Households only: %(names)s; empty means 其他."),
            names="、".join(names[0] for names in HOUSEHOLD_KIND_NAMES.values()),
        ),
        example="贫困户",
    ),
    Column(
        "contact_name",
        "联系人",
        "Contact name",
        help=gettext_lazy("Households and enterprises only."),
        example="王大明",
    ),
    Column(
        "id_number",
        "身份证号",
        "ID number",
        help=gettext_lazy(
            "Households only: the contact's resident ID number, 18 characters (or 15 digits); "
            "enter it as text."
        ),
        example="11010519491231002X",
        aliases=("身份证号码",),
    ),
    Column(
        "phone",
        "电话",
        "Phone",
        help=gettext_lazy("Optional phone number."),
        example="13800000000",
        aliases=("联系电话",),
    ),
    Column(
        "doctor_code",
        "责任医生工号",
        "Responsible doctor",
        help=gettext_lazy("Grid cells only: staff number of the responsible doctor."),
        example="",
        aliases=("责任医生",),
    ),
    Column(
        "notes",
        "备注",
        "Notes",
        help=gettext_lazy("Optional notes."),
        example="",
    ),
)
_COLUMNS = columns_by_key(COLUMNS)
_MAX = {
    f: Place._meta.get_field(f).max_length
    for f in ("code", "name", "address", "contact_name", "phone")
}


@dataclass
class PlaceRow:
    number: int
    code: str
    name: str
    kind: str | None
    unit_code: str
    parent_code: str
    address: str
    household_kind: str
    contact_name: str
    id_number: str
    phone: str
    doctor_code: str
    notes: str


@dataclass
class Plan:
    rows: list[PlaceRow]
    units: dict[str, OrgUnit]
    parents: dict[str, Place]
    doctors: dict[str, Person]
    level: dict[str, int]


def validate(*, actor, table: Table) -> tuple[Plan, list[RowError]]:
    """Check every row; no row is written unless all of them pass."""
    kinds = choice_names(Place.Kind, KIND_NAMES)
    household_kinds = choice_names(Place.HouseholdKind, HOUSEHOLD_KIND_NAMES)
    rows: list[PlaceRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        row = PlaceRow(
            number=number,
            code=cells.text("code", required=True, max_length=_MAX["code"]),
            name=cells.text("name", required=True, max_length=_MAX["name"]),
            kind=cells.choice("kind", kinds, required=True),
            unit_code=cells.text("unit_code", required=True),
            parent_code=cells.text("parent_code"),
            address=cells.text("address", max_length=_MAX["address"]),
            household_kind=cells.choice("household_kind", household_kinds) or "",
            contact_name=cells.text("contact_name", max_length=_MAX["contact_name"]),
            id_number=_id_number(cells),
            phone=cells.text("phone", max_length=_MAX["phone"]),
            doctor_code=cells.text("doctor_code"),
            notes=cells.text("notes"),
        )
        _check_kind_fields(row, cells)
        rows.append(row)
        errors += cells.errors

    first, dup_errors = duplicate_errors(rows, "code", "编码")
    errors += dup_errors
    for code in existing_codes(Place, first):
        errors.append(
            RowError(
                first[code],
                "编码",
                _("A place with the code “%(code)s” already exists.") % {"code": code},
            )
        )

    # Out-of-scope units, places and people read as missing, so codes can't be probed.
    units = fetch_by_code(
        access.units_for_user(actor, Cap.MANAGE_PLACES).only("id", "code", "path"),
        (r.unit_code for r in rows if r.unit_code),
    )
    in_file = {r.code: r for r in rows if r.code and first.get(r.code) == r.number}
    parents = fetch_by_code(
        access.places_for_user(actor).only("id", "code"),
        (r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file),
    )
    doctors = fetch_by_code(
        access.people_for_user(actor).only("id", "code"),
        (r.doctor_code for r in rows if r.doctor_code),
    )
    for row in rows:
        if row.unit_code and row.unit_code not in units:
            errors.append(
                RowError(
                    row.number,
                    "责任单位编码",
                    _("No unit with the code “%(code)s” among the units whose places you manage.")
                    % {"code": row.unit_code},
                )
            )
        if row.parent_code == row.code and row.code:
            errors.append(
                RowError(row.number, "所属地点编码", _("A place cannot lie inside itself."))
            )
        elif row.parent_code and row.parent_code not in in_file and row.parent_code not in parents:
            errors.append(
                RowError(
                    row.number,
                    "所属地点编码",
                    _("No place with the code “%(code)s” among the places you can see.")
                    % {"code": row.parent_code},
                )
            )
        if row.doctor_code and row.doctor_code not in doctors:
            errors.append(
                RowError(
                    row.number,
                    "责任医生工号",
                    _("No person with the staff number “%(code)s” among the people you can see.")
                    % {"code": row.doctor_code},
                )
            )

    level, looped = levels(
        {c: (r.parent_code or None) for c, r in in_file.items() if r.parent_code != c}
    )
    for code in sorted(looped, key=lambda c: in_file[c].number):
        errors.append(
            RowError(
                in_file[code].number,
                "所属地点编码",
                _("The parent codes of this row go round in a loop."),
            )
        )
    for code, lvl in level.items():
        if lvl >= MAX_DEPTH:
            errors.append(
                RowError(
                    in_file[code].number,
                    "所属地点编码",
                    _("Places would be nested more than %(max)s levels deep here.")
                    % {"max": MAX_DEPTH},
                )
            )
    return Plan(rows=rows, units=units, parents=parents, doctors=doctors, level=level), errors


def _check_kind_fields(row: PlaceRow, cells: RowReader) -> None:
    """Personal data belongs to households only (and a contact to enterprises); a responsible
    doctor to grid cells. Refused rather than silently dropped, so nothing typed is lost."""
    household = row.kind == Place.Kind.HOUSEHOLD
    if row.kind is None:
        return
    if household and not row.household_kind:
        row.household_kind = Place.HouseholdKind.OTHER
    if not household:
        for key, value in (("household_kind", row.household_kind), ("id_number", row.id_number)):
            if value:
                cells.error(key, _("Only households have this; leave it empty."))
        if row.contact_name and row.kind != Place.Kind.ENTERPRISE:
            cells.error(
                "contact_name", _("Only households and enterprises have a contact; leave it empty.")
            )
    if row.doctor_code and row.kind != Place.Kind.GRID_CELL:
        cells.error("doctor_code", _("Only grid cells have a responsible doctor; leave it empty."))


_ID_18 = re.compile(r"^\d{17}[\dX]$")
_ID_15 = re.compile(r"^\d{15}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_number(cells: RowReader) -> str:
    raw = cells.raw("id_number")
    if isinstance(raw, int | float) and not isinstance(raw, bool) and abs(raw) >= 1e15:
        # Excel keeps 15 significant digits: an 18-digit number typed into a number cell
        # has already lost its last digits.
        cells.error(
            "id_number",
            _("Enter the ID number as text: Excel rounds numbers longer than 15 digits."),
        )
        return ""
    value = cell_text(raw).upper()
    if value:
        problem = id_number_problem(value)
        if problem:
            cells.error("id_number", problem)
            return ""
    return value


def id_number_problem(value: str) -> str | None:
    """Why `value` is not a resident ID number (18 characters with a valid check character,
    or the 15 digits of the first generation), or None."""
    if _ID_18.match(value):
        birth = value[6:14]
        check = _ID_CHECK[
            sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11
        ]
        if value[17] != check:
            return _("“%(value)s” is not a valid ID number: its check character is wrong.") % {
                "value": value
            }
    elif _ID_15.match(value):
        birth = "19" + value[6:12]
    else:
        return _("“%(value)s” is not an ID number: it must have 18 characters (or 15 digits).") % {
            "value": value
        }
    try:
        datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return _(
            "“%(value)s” is not a valid ID number: its birth date %(date)s does not exist."
        ) % {
            "value": value,
            "date": birth,
        }
    return None


def write(*, actor, plan: Plan) -> Written:
    """Insert containing places before the places inside them, a level at a time."""
    created: dict[str, Place] = {}
    by_level: dict[int, list[PlaceRow]] = {}
    for row in plan.rows:
        by_level.setdefault(plan.level[row.code], []).append(row)
    for lvl in sorted(by_level):
        objs = []
        for row in by_level[lvl]:
            parent = plan.parents.get(row.parent_code) or created.get(row.parent_code)
            doctor = plan.doctors.get(row.doctor_code)
            objs.append(
                Place(
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    unit_id=plan.units[row.unit_code].pk,
                    parent_id=parent.pk if parent else None,
                    address=row.address,
                    household_kind=row.household_kind,
                    contact_name=row.contact_name,
                    id_number=row.id_number,
                    phone=row.phone,
                    responsible_doctor_id=doctor.pk if doctor else None,
                    notes=row.notes,
                )
            )
        Place.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        ensure_pks(objs)
        created.update((o.code, o) for o in objs)
    codes = [row.code for row in plan.rows]
    return Written(
        count=len(codes),
        codes=codes,
        unit_path=common_path(unit.path for unit in plan.units.values()),
    )


def export_rows(*, actor) -> Iterator[list]:
    """Households' names, contacts, ID numbers and phones are masked unless the user may
    read them; the decision is made in memory from the user's scope, not per row."""
    kinds = {value: names[0] for value, names in KIND_NAMES.items()}
    household_kinds = {value: names[0] for value, names in HOUSEHOLD_KIND_NAMES.items()}
    masker = access.PlaceMasker(actor)
    places = (
        access.places_for_user(actor)
        .select_related("unit", "parent", "responsible_doctor")
        .order_by("unit__path", "code")
    )
    for place in places.iterator(chunk_size=2000):
        shown = masker.values(place)
        yield [
            place.code,
            shown["name"],
            kinds.get(place.kind, place.kind),
            place.unit.code,
            place.parent.code if place.parent else "",
            place.address,
            household_kinds.get(place.household_kind, ""),
            shown["contact_name"],
            shown["id_number"],
            shown["phone"],
            place.responsible_doctor.code if place.responsible_doctor else "",
            place.notes,
        ]


LEDGER = Ledger(
    kind="places",
    name="地点",
    title=gettext_lazy("Places"),
    model=Place,
    import_cap=Cap.MANAGE_PLACES,
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
)
