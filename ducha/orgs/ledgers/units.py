"""The org-unit ledger (组织机构): import under units the importer manages, and export."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access
from ..access import Cap
from ..models import OrgUnit, OrgUnitChange
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
from .readers import Column, RowError, Table

# The names offices write for each kind; the first is what exports and templates write.
KIND_NAMES = {
    OrgUnit.Kind.COMMISSION: ("卫生健康委员会", "卫健委", "卫生计生委"),
    OrgUnit.Kind.BUREAU: ("卫生健康局", "卫生局", "卫健局"),
    OrgUnit.Kind.HOSPITAL: ("医院",),
    OrgUnit.Kind.TOWNSHIP_CENTRE: ("乡镇卫生院", "卫生院"),
    OrgUnit.Kind.COMMUNITY_CENTRE: ("社区卫生服务中心",),
    OrgUnit.Kind.CDC: ("疾病预防控制中心", "疾控中心"),
    OrgUnit.Kind.SUPERVISION: ("卫生监督所", "监督所"),
    OrgUnit.Kind.MATERNAL_CHILD: ("妇幼保健院", "妇幼保健计划生育服务中心"),
    OrgUnit.Kind.VILLAGE_CLINIC: ("村卫生室",),
    OrgUnit.Kind.DEPARTMENT: ("科室",),
    OrgUnit.Kind.OTHER: ("其他",),
}
# The org tree is six or seven levels deep in practice; the cap keeps the per-level
# INSERT and UPDATE statements few, and paths within their 400 characters.
MAX_DEPTH = 20

COLUMNS = (
    Column(
        "code",
        "编码",
        "Code",
        required=True,
        help=gettext_lazy("Unique code of the unit, e.g. its organisation code."),
        example="D01-H09",
        aliases=("单位编码", "机构编码", "代码"),
    ),
    Column(
        "name",
        "名称",
        "Name",
        required=True,
        help=gettext_lazy("Full name of the unit."),
        example="东湖区第二人民医院",
        aliases=("单位名称", "机构名称"),
    ),
    Column(
        "short_name",
        "简称",
        "Short name",
        help=gettext_lazy("Optional short name used in tables and bulletins."),
        example="区二院",
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
        example="医院",
        aliases=("单位类型", "机构类型"),
    ),
    Column(
        "parent_code",
        "上级编码",
        "Parent code",
        help=gettext_lazy(
            "Code of the unit above: an existing unit you manage, or another row of this file "
            "(above or below)."
        ),
        example="D01",
        aliases=("上级单位编码", "上级单位"),
    ),
    Column(
        "sort_order",
        "排序",
        "Sort order",
        help=gettext_lazy("Optional whole number; smaller numbers are listed first."),
        example="10",
        aliases=("排序号",),
    ),
)
_COLUMNS = columns_by_key(COLUMNS)
_MAX = {f: OrgUnit._meta.get_field(f).max_length for f in ("code", "name", "short_name")}


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    short_name: str
    kind: str | None
    parent_code: str
    sort_order: int


@dataclass
class Plan:
    rows: list[UnitRow]
    parents: dict[str, OrgUnit]  # existing parents by code
    level: dict[str, int]


def validate(*, actor, table: Table) -> tuple[Plan, list[RowError]]:
    """Check every row; no row is written unless all of them pass."""
    kinds = choice_names(OrgUnit.Kind, KIND_NAMES)
    rows: list[UnitRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        rows.append(
            UnitRow(
                number=number,
                code=cells.text("code", required=True, max_length=_MAX["code"]),
                name=cells.text("name", required=True, max_length=_MAX["name"]),
                short_name=cells.text("short_name", max_length=_MAX["short_name"]),
                kind=cells.choice("kind", kinds, required=True),
                parent_code=cells.text("parent_code"),
                sort_order=cells.int("sort_order") or 0,
            )
        )
        errors += cells.errors

    first, dup_errors = duplicate_errors(rows, "code", "编码")
    errors += dup_errors
    for code in existing_codes(OrgUnit, first):
        errors.append(
            RowError(
                first[code],
                "编码",
                _("A unit with the code “%(code)s” already exists.") % {"code": code},
            )
        )

    in_file = {r.code: r for r in rows if r.code and first.get(r.code) == r.number}
    outside = {r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file}
    # Only units where the importer may manage units can take new children.
    parents = fetch_by_code(access.units_for_user(actor, Cap.MANAGE_UNITS), outside)
    is_superuser = getattr(actor, "is_superuser", False)
    for row in rows:
        if not row.parent_code:
            if not is_superuser:
                errors.append(
                    RowError(row.number, "上级编码", _("Enter the code of the unit above."))
                )
        elif row.parent_code == row.code:
            errors.append(RowError(row.number, "上级编码", _("A unit cannot be its own parent.")))
        elif row.parent_code not in in_file and row.parent_code not in parents:
            errors.append(
                RowError(
                    row.number,
                    "上级编码",
                    _("No unit with the code “%(code)s” among the units you manage.")
                    % {"code": row.parent_code},
                )
            )

    level, looped = levels(
        {
            code: (row.parent_code or None)
            for code, row in in_file.items()
            if row.parent_code != code
        }
    )
    for code in sorted(looped, key=lambda c: in_file[c].number):
        errors.append(
            RowError(
                in_file[code].number,
                "上级编码",
                _("The parent codes of this row go round in a loop."),
            )
        )
    depth: dict[str, int] = {}
    for code in sorted(level, key=level.__getitem__):  # parents before their children
        parent = in_file[code].parent_code
        if parent in depth:
            depth[code] = depth[parent] + 1
        else:
            depth[code] = parents[parent].depth + 1 if parent in parents else 0
        if depth[code] >= MAX_DEPTH:
            errors.append(
                RowError(
                    in_file[code].number,
                    "上级编码",
                    _("The org tree would be more than %(max)s levels deep here.")
                    % {"max": MAX_DEPTH},
                )
            )
    return Plan(rows=rows, parents=parents, level=level), errors


def write(*, actor, plan: Plan) -> Written:
    """Insert parents before children, a level at a time; then set every path with one
    UPDATE per depth, from the parent's path already in the database."""
    placeholder = f"#import-{uuid.uuid4().hex}"
    created: dict[str, OrgUnit] = {}
    by_level: dict[int, list[UnitRow]] = {}
    for row in plan.rows:
        by_level.setdefault(plan.level[row.code], []).append(row)
    for lvl in sorted(by_level):
        objs = []
        for row in by_level[lvl]:
            parent = plan.parents.get(row.parent_code) or created.get(row.parent_code)
            objs.append(
                OrgUnit(
                    code=row.code,
                    name=row.name,
                    short_name=row.short_name,
                    kind=row.kind,
                    parent_id=parent.pk if parent else None,
                    path=placeholder,
                    depth=(parent.depth + 1) if parent else 0,
                    sort_order=row.sort_order,
                )
            )
        OrgUnit.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        ensure_pks(objs)
        created.update((o.code, o) for o in objs)

    parent_path = OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    new_path = Concat(
        Coalesce(Subquery(parent_path), Value("/")),
        Cast("pk", CharField()),
        Value("/"),
        output_field=CharField(),
    )
    for depth in sorted({o.depth for o in created.values()}):
        OrgUnit.objects.filter(path=placeholder, depth=depth).update(path=new_path)

    user = actor if getattr(actor, "pk", None) else None
    OrgUnitChange.objects.bulk_create(
        [
            OrgUnitChange(
                unit_id=o.pk,
                kind=OrgUnitChange.Kind.CREATED,
                new_name=o.name,
                new_parent_id=o.parent_id,
                actor=user,
            )
            for o in created.values()
        ],
        batch_size=BATCH_SIZE,
    )
    access.forget_grants(actor)
    codes = [row.code for row in plan.rows]
    return Written(
        count=len(codes),
        codes=codes,
        unit_path=common_path(p.path for p in plan.parents.values()),
    )


def export_rows(*, actor) -> Iterator[list]:
    names = {value: names[0] for value, names in KIND_NAMES.items()}
    units = access.units_for_user(actor).select_related("parent").order_by("path")
    for unit in units.iterator(chunk_size=2000):
        yield [
            unit.code,
            unit.name,
            unit.short_name,
            names.get(unit.kind, unit.kind),
            unit.parent.code if unit.parent else "",
            unit.sort_order,
        ]


LEDGER = Ledger(
    kind="units",
    name="组织机构",
    title=gettext_lazy("Org units"),
    model=OrgUnit,
    import_cap=Cap.MANAGE_UNITS,
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
)
