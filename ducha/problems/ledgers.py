"""The rectification ledger (整改台账): one row per problem, exported to .xlsx and imported from
it with the org ledgers' machinery (ducha/orgs/ledgers): the same reader, one error per bad
cell, and all rows or none.

A row without a number is a new problem of the unit named by its code; with measures, target,
deadline and responsible person it starts its rectification at once. A row carrying the number
of a problem already in the system is left as it is, so an exported ledger with new rows added
below can be imported again. Status and closing date are written by exports only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers.common import (
    BATCH_SIZE,
    Ledger,
    RowReader,
    Written,
    choice_names,
    chunked,
    columns_by_key,
    common_path,
    fetch_by_code,
    lazy_format,
)
from ducha.orgs.ledgers.readers import Column, RowError, Table
from ducha.orgs.models import OrgUnit, Person

from .models import Category, Event, Problem, Rectification

SOURCE_NAMES = {
    Problem.Source.VISIT: ("走访", "走访发现"),
    Problem.Source.SELF_INSPECTION: ("自查", "自查自纠"),
    Problem.Source.OPINION: ("意见征集", "意见箱", "群众意见"),
    Problem.Source.EVALUATION: ("评议", "测评"),
    Problem.Source.INSPECTION: ("督查", "明查暗访"),
    Problem.Source.HAZARD_SWEEP: ("隐患排查",),
    Problem.Source.COMPLAINT: ("投诉", "举报"),
    Problem.Source.OTHER: ("其他",),
}
SEVERITY_NAMES = {
    Problem.Severity.MINOR: ("一般",),
    Problem.Severity.SERIOUS: ("较重", "较严重"),
    Problem.Severity.GRAVE: ("严重",),
}
STATUS_NAMES = {
    Problem.Status.REPORTED: "待处理",
    Problem.Status.SOLVED_ON_SPOT: "就地解决",
    Problem.Status.ASSIGNED: "已交办",
    Problem.Status.ESCALATED: "已上报",
    Problem.Status.RECTIFYING: "整改中",
    Problem.Status.CLAIMED: "待验收",
    Problem.Status.CLOSED: "已销号",
    Problem.Status.INVALID: "已作废",
}


def _first(names: dict) -> str:
    return "、".join(v[0] for v in names.values())


COLUMNS = (
    Column(
        "number",
        "编号",
        "Number",
        help=gettext_lazy(
            "Leave empty for a new problem. Rows with the number of a problem already in the "
            "system are left as they are."
        ),
        example="",
        aliases=("问题编号", "序号"),
    ),
    Column(
        "source",
        "来源",
        "Source",
        required=True,
        help=lazy_format(gettext_lazy("One of: %(names)s."), names=_first(SOURCE_NAMES)),
        example="走访",
        aliases=("问题来源",),
    ),
    Column(
        "campaign",
        "活动",
        "Campaign",
        help=gettext_lazy("Optional title of the campaign, as the system lists it."),
        example="",
        aliases=("专项活动",),
    ),
    Column(
        "unit_code",
        "单位编码",
        "Unit code",
        required=True,
        help=gettext_lazy("Code of the responsible unit; a unit whose problems you run."),
        example="H01",
        aliases=("责任单位编码",),
    ),
    Column(
        "unit_name",
        "单位",
        "Unit",
        help=gettext_lazy("Written by exports; ignored on import (the code decides)."),
        example="东湖区人民医院",
        aliases=("责任单位", "单位名称"),
    ),
    Column(
        "category",
        "类别",
        "Category",
        required=True,
        help=gettext_lazy("A problem category listed in the system, e.g. 服务态度, 环境."),
        example="服务态度",
        aliases=("问题类别", "问题类型"),
    ),
    Column(
        "title",
        "问题",
        "Problem",
        required=True,
        help=gettext_lazy("The problem in one line."),
        example="门诊导诊台无人值守",
        aliases=("问题描述", "存在问题", "问题表现"),
    ),
    Column(
        "severity",
        "严重程度",
        "Severity",
        help=lazy_format(
            gettext_lazy("Optional: %(names)s; empty means 一般."), names=_first(SEVERITY_NAMES)
        ),
        example="一般",
    ),
    Column(
        "measures",
        "整改措施",
        "Measures",
        help=gettext_lazy(
            "With target, deadline and responsible person: the rectification starts at once."
        ),
        example="安排专人轮流值守导诊台",
    ),
    Column(
        "target",
        "整改目标",
        "Target",
        help=gettext_lazy("What counts as rectified."),
        example="导诊台工作时间有人值守",
    ),
    Column(
        "deadline",
        "整改时限",
        "Deadline",
        help=gettext_lazy("A date not in the past, YYYY-MM-DD."),
        example="2026-06-30",
        aliases=("完成时限", "时限"),
    ),
    Column(
        "person",
        "责任人",
        "Responsible person",
        help=gettext_lazy("Staff number, or a name that is unique in the unit."),
        example="多拉",
    ),
    Column(
        "leader",
        "责任领导",
        "Responsible leader",
        help=gettext_lazy("Optional staff number or name."),
        example="",
    ),
    Column(
        "status",
        "状态",
        "Status",
        help=gettext_lazy("Written by exports; ignored on import."),
        example="",
        aliases=("整改状态", "完成情况"),
    ),
    Column(
        "closed_on",
        "销号日期",
        "Closing date",
        help=gettext_lazy("Written by exports; ignored on import."),
        example="",
    ),
)
_COLUMNS = columns_by_key(COLUMNS)
_TITLE_MAX = Problem._meta.get_field("title").max_length


@dataclass
class LedgerRow:
    number: int
    existing: int | None
    source: str | None
    campaign: str
    unit_code: str
    category: str
    title: str
    severity: str
    measures: str
    target: str
    deadline: datetime.date | None
    person: str
    leader: str

    @property
    def rectifies(self) -> bool:
        return bool(self.measures or self.target or self.deadline or self.person)


@dataclass
class Plan:
    rows: list[LedgerRow]
    units: dict[str, OrgUnit]
    categories: dict[str, Category]
    campaigns: dict[str, object]
    people: dict[int, tuple[Person | None, Person | None]]


def validate(*, actor, table: Table) -> tuple[Plan, list[RowError]]:
    """Check every row; no row is written unless all of them pass."""
    sources = choice_names(Problem.Source, SOURCE_NAMES)
    severities = choice_names(Problem.Severity, SEVERITY_NAMES)
    today = timezone.localdate()
    rows: list[LedgerRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        cells = RowReader(number, values, _COLUMNS)
        row = LedgerRow(
            number=number,
            existing=cells.int("number"),
            source=cells.choice("source", sources, required=True),
            campaign=cells.text("campaign"),
            unit_code=cells.text("unit_code", required=True),
            category=cells.text("category", required=True),
            title=cells.text("title", required=True, max_length=_TITLE_MAX),
            severity=cells.choice("severity", severities) or Problem.Severity.MINOR,
            measures=cells.text("measures"),
            target=cells.text("target"),
            deadline=cells.date("deadline"),
            person=cells.text("person"),
            leader=cells.text("leader"),
        )
        if row.existing is None and row.rectifies:
            for key in ("measures", "target", "deadline", "person"):
                if not getattr(row, key) and not cells.errors_for(key):
                    cells.error(
                        key,
                        _(
                            "Fill in measures, target, deadline and responsible person "
                            "together, or leave all four empty."
                        ),
                    )
            if row.deadline is not None and row.deadline < today:
                cells.error("deadline", _("The deadline may not lie in the past."))
        rows.append(row)
        errors += cells.errors

    # Rows naming an existing problem are kept as they are: check only that it is one of ours.
    numbered = [r.existing for r in rows if r.existing is not None]
    known = set()
    for chunk in chunked(numbered):
        known.update(
            access.problems_for_user(actor).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    new_rows = []
    for row in rows:
        if row.existing is None:
            new_rows.append(row)
        elif row.existing not in known:
            errors.append(
                RowError(
                    row.number,
                    "编号",
                    _("No problem numbered %(n)s among the problems you can see.")
                    % {"n": row.existing},
                )
            )

    units = fetch_by_code(
        access.units_for_user(actor, Cap.HANDLE_PROBLEMS).only("id", "code", "path", "name"),
        (r.unit_code for r in new_rows if r.unit_code),
    )
    categories = {c.name: c for c in access.problem_categories_for_user(actor)}
    campaigns: dict[str, list] = defaultdict(list)
    titles = {r.campaign for r in new_rows if r.campaign}
    if titles:
        for campaign in access.campaigns_for_user(actor).filter(title__in=titles):
            campaigns[campaign.title].append(campaign)
    people = _people(actor, new_rows)
    chosen: dict[int, tuple[Person | None, Person | None]] = {}
    for row in new_rows:
        unit = units.get(row.unit_code)
        if row.unit_code and unit is None:
            errors.append(
                RowError(
                    row.number,
                    "单位编码",
                    _("No unit with the code “%(code)s” among the units whose problems you run.")
                    % {"code": row.unit_code},
                )
            )
        if row.category and row.category not in categories:
            errors.append(
                RowError(
                    row.number,
                    "类别",
                    _("“%(name)s” is not a listed category.") % {"name": row.category},
                )
            )
        if row.campaign and len(campaigns.get(row.campaign, ())) != 1:
            errors.append(
                RowError(
                    row.number,
                    "活动",
                    _("No single campaign titled “%(title)s” among the campaigns you can see.")
                    % {"title": row.campaign},
                )
            )
        if unit is not None:
            picked = []
            for key, header in (("person", "责任人"), ("leader", "责任领导")):
                value = getattr(row, key)
                person, problem = _pick(people, value, unit) if value else (None, None)
                if problem:
                    errors.append(RowError(row.number, header, problem))
                picked.append(person)
            chosen[row.number] = (picked[0], picked[1])
    plan = Plan(
        rows=new_rows,
        units=units,
        categories=categories,
        campaigns={t: c[0] for t, c in campaigns.items() if len(c) == 1},
        people=chosen,
    )
    return plan, errors


def _people(actor, rows: list[LedgerRow]) -> dict[str, list[Person]]:
    """{staff number or name: [people]} among the people the importer can see."""
    wanted = sorted({v for r in rows for v in (r.person, r.leader) if v})
    found: dict[str, list[Person]] = defaultdict(list)
    for chunk in chunked(wanted):
        for person in (
            access.people_for_user(actor)
            .filter(Q(code__in=chunk) | Q(name__in=chunk))
            .select_related("unit")
        ):
            found[f"code:{person.code}"].append(person)
            found[f"name:{person.name}"].append(person)
    return found


def _pick(people, value: str, unit: OrgUnit) -> tuple[Person | None, str]:
    by_code = people.get(f"code:{value}")
    if by_code:
        return by_code[0], ""
    # By name: someone of the unit, of a unit below it or of a level above it.
    near = [
        p
        for p in people.get(f"name:{value}", [])
        if p.unit.path.startswith(unit.path) or unit.path.startswith(p.unit.path)
    ]
    if len(near) == 1:
        return near[0], ""
    if not near:
        return None, _("No one called “%(name)s” in or above this unit.") % {"name": value}
    return None, _("Several people are called “%(name)s”: write the staff number.") % {
        "name": value
    }


def write(*, actor, plan: Plan) -> Written:
    """Problems, then the rectifications of the rows that carry one, in batches."""
    now = timezone.now()
    problems = []
    for row in plan.rows:
        unit = plan.units[row.unit_code]
        problems.append(
            Problem(
                campaign=plan.campaigns.get(row.campaign) if row.campaign else None,
                unit=unit,
                found_unit=unit,
                source=row.source,
                category=plan.categories[row.category],
                title=row.title,
                severity=row.severity,
                reporter=actor,
                status=Problem.Status.RECTIFYING if row.rectifies else Problem.Status.REPORTED,
            )
        )
    Problem.objects.bulk_create(problems, batch_size=BATCH_SIZE)
    events, rectifications = [], []
    for problem, row in zip(problems, plan.rows, strict=True):
        events.append(
            Event(
                problem=problem, kind=Event.Kind.REPORTED, actor=actor, at=now, to_unit=problem.unit
            )
        )
        if row.rectifies:
            events.append(
                Event(
                    problem=problem,
                    kind=Event.Kind.RECTIFICATION_SET,
                    actor=actor,
                    at=now,
                    note=_("Imported from the rectification ledger"),
                )
            )
            person, leader = plan.people[row.number]
            rectification = Rectification(
                problem=problem,
                measures=row.measures,
                target=row.target,
                first_deadline=row.deadline,
                responsible_person=person,
                responsible_leader=leader,
            )
            rectification.set_deadline(row.deadline)
            rectifications.append(rectification)
    Event.objects.bulk_create(events, batch_size=BATCH_SIZE)
    Rectification.objects.bulk_create(rectifications, batch_size=BATCH_SIZE)
    return Written(
        count=len(problems),
        codes=[str(p.pk) for p in problems],
        unit_path=common_path(u.path for u in plan.units.values()),
    )


def export_rows(*, actor) -> Iterator[list]:
    sources = {value: names[0] for value, names in SOURCE_NAMES.items()}
    severities = {value: names[0] for value, names in SEVERITY_NAMES.items()}
    problems = (
        access.problems_for_user(actor)
        .select_related(
            "unit",
            "category",
            "campaign",
            "rectification__responsible_person",
            "rectification__responsible_leader",
        )
        .order_by("unit__path", "id")
    )
    for problem in problems.iterator(chunk_size=2000):
        rect = getattr(problem, "rectification", None)
        closed = timezone.localtime(problem.finished_at).date() if problem.finished_at else None
        yield [
            problem.pk,
            sources.get(problem.source, problem.source),
            problem.campaign.title if problem.campaign else "",
            problem.unit.code,
            problem.unit.name,
            problem.category.name,
            problem.title,
            severities.get(problem.severity, ""),
            rect.measures if rect else "",
            rect.target if rect else "",
            rect.deadline if rect else None,
            rect.responsible_person.name if rect else "",
            rect.responsible_leader.name if rect and rect.responsible_leader else "",
            STATUS_NAMES.get(problem.status, problem.status),
            closed if problem.status != Problem.Status.INVALID else None,
        ]


LEDGER = Ledger(
    kind="rectification",
    name="整改台账",
    title=gettext_lazy("Rectification ledger"),
    model=Problem,
    import_cap=Cap.HANDLE_PROBLEMS,
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
)
