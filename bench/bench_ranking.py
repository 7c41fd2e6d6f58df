"""How fast a campaign's monthly ranking runs, against the floor of the SQL aggregates behind it.

    .venv/bin/python bench/bench_ranking.py [--units 2000] [--problems 20000] [--runs 3]

Runs on a fresh SQLite database in a temporary directory (set BENCH_DATABASE_URL to measure
a scratch PostgreSQL database instead; it must be empty and disposable). Builds a city campaign
over --units participating units in 10 counties (one in five a hospital with 3 departments, the
rest township health centres) with 6 indicators: closure rate, overdue rate, inspections without
findings, reporting timeliness and two scored by hand (a ManualScore for 95% of the units). The
data of February and March 2024: --problems problems (a quarter at departments, one in seven
found in February), a rectification for those being rectified, claimed or closed (deadlines
from February to late April, a quarter done late), 8 inspection rounds of 300 units with a
finding at one in four, and a weekly brief plus a one-off report from every unit. Then times:

  ranking  ducha.assessment.scoring.campaign_ranking for March 2024, seen from the city's
           campaign office (a fresh user object each run), and each computed source alone;
  floor    the SQL aggregates any ranking must at least read, fetched: the participants, one
           GROUP BY over the month's problems by unit path and status, one over the
           rectifications due by unit path and on-time flag, the inspected units and the
           findings by unit path and round, the submissions due by unit, requirement, status
           and on time, the hand scores.

Each is the median of --runs runs; ratio = ranking / floor.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import _django  # noqa: E402, F401  (sets up Django for the benchmark)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ducha.assessment.models import Indicator, ManualScore  # noqa: E402
from ducha.assessment.scoring import SOURCES, assessed_units, campaign_ranking  # noqa: E402
from ducha.campaigns.models import Campaign, Participant  # noqa: E402
from ducha.inspections.models import Finding, InspectionRound  # noqa: E402
from ducha.orgs.models import OrgUnit, Person, Role, RoleAssignment  # noqa: E402
from ducha.problems.models import Category, Problem, Rectification  # noqa: E402
from ducha.submissions import periods  # noqa: E402
from ducha.submissions.models import Requirement, Submission  # noqa: E402

CST = ZoneInfo("Asia/Shanghai")
COUNTIES = 10
DEPARTMENTS = 3
PERIOD = "2024-03"
D = datetime.date
START, END = D(2024, 3, 1), D(2024, 3, 31)
S = Problem.Status
# Of the problems: status → weight (invalid ones are left out of every rate).
STATUSES = {
    S.REPORTED: 10,
    S.SOLVED_ON_SPOT: 20,
    S.ASSIGNED: 5,
    S.RECTIFYING: 25,
    S.CLAIMED: 10,
    S.CLOSED: 27,
    S.INVALID: 3,
}
ROUNDS = [D(2024, 2, 7), D(2024, 2, 21), *(D(2024, 3, day) for day in (4, 8, 12, 18, 22, 27))]
ROUND_UNITS = 300
FINDING_SHARE = 0.25
SUBMITTED = 0.85


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=CST)


def build(n_units: int, n_problems: int, rng: random.Random):
    def unit(code, name, kind, parent):
        u = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent, path="/")
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.depth = parent.depth + 1 if parent else 0
        u.save(update_fields=["path", "depth"])
        return u

    def bulk_units(rows):
        made = OrgUnit.objects.bulk_create(rows, batch_size=1000)
        if made[0].pk is None:  # a backend that doesn't return ids from bulk_create
            codes = [u.code for u in rows]
            made = list(OrgUnit.objects.filter(code__in=codes).order_by("code"))
        for u in made:
            u.path = f"{u.parent.path}{u.pk}/"
        OrgUnit.objects.bulk_update(made, ["path"], batch_size=1000)
        return made

    root = unit("P00", "江州市卫生健康委员会", OrgUnit.Kind.COMMISSION, None)
    city = unit("C01", "黄州市卫生局", OrgUnit.Kind.BUREAU, root)
    counties = [unit(f"D{i:02d}", f"第{i}区卫生健康局", OrgUnit.Kind.BUREAU, city) for i in range(COUNTIES)]  # fmt: skip
    units = bulk_units(
        [
            OrgUnit(
                code=f"H{i:05d}",
                name=f"第{i % COUNTIES}区第{i}{'医院' if i // COUNTIES % 5 == 0 else '卫生院'}",
                kind=OrgUnit.Kind.HOSPITAL
                if i // COUNTIES % 5 == 0
                else OrgUnit.Kind.TOWNSHIP_CENTRE,
                parent=counties[i % COUNTIES],
                path="/",
                depth=3,
            )
            for i in range(n_units)
        ]
    )
    departments = bulk_units(
        [
            OrgUnit(
                code=f"{u.code}-{k}",
                name=f"科室{k}",
                kind=OrgUnit.Kind.DEPARTMENT,
                parent=u,
                path="/",
                depth=4,
            )
            for u in units
            if u.kind == OrgUnit.Kind.HOSPITAL
            for k in range(1, DEPARTMENTS + 1)
        ]
    )

    user = get_user_model().objects.create(username="bench")
    person = Person.objects.create(code="OFFICE", name="办公室", unit=city, user=user)
    RoleAssignment.objects.create(person=person, unit=city, role=Role.CAMPAIGN_OFFICE)
    campaign = Campaign.objects.create(
        title="效能建设专项活动",
        unit=city,
        status=Campaign.Status.ACTIVE,
        starts_on=D(2024, 2, 1),
        ends_on=D(2024, 6, 30),
    )
    Participant.objects.bulk_create(
        [Participant(campaign=campaign, unit=u) for u in units], batch_size=1000
    )

    # Indicators: four computed, two by hand, 100 in all.
    for order, (content, weight, source) in enumerate(
        [
            ("整改销号率", 20, Indicator.Source.CLOSURE_RATE),
            ("整改超期率", 20, Indicator.Source.OVERDUE_RATE),
            ("督查无问题率", 15, Indicator.Source.INSPECTION_FINDINGS),
            ("报送及时率", 15, Indicator.Source.TIMELINESS),
            ("制度建设", 15, Indicator.Source.NONE),
            ("服务态度", 15, Indicator.Source.NONE),
        ]
    ):
        Indicator.objects.create(
            campaign=campaign,
            order=order,
            content=content,
            weight=Decimal(weight),
            computed_source=source,
            method=Indicator.Method.MATERIAL_REVIEW
            if source == Indicator.Source.NONE
            else Indicator.Method.COMPUTED,
        )
    manual = list(Indicator.objects.filter(campaign=campaign, computed_source="none"))
    ManualScore.objects.bulk_create(
        [
            ManualScore(
                indicator=ind,
                unit=u,
                period=PERIOD,
                value=Decimal(rng.randint(55, 100)),
                evidence="检查台账",
                actor=user,
            )
            for ind in manual
            for u in units
            if rng.random() < 0.95
        ],
        batch_size=2000,
    )

    # Inspection rounds, each over ROUND_UNITS units (a department now and then).
    hospitals_departments = {}
    for d in departments:
        hospitals_departments.setdefault(d.parent_id, []).append(d)
    rounds = []
    for n, day in enumerate(ROUNDS):
        rounds.append(
            InspectionRound.objects.create(
                campaign=campaign, unit=city, title=f"第{n + 1}次督查", date=day, created_by=user
            )
        )
    through = InspectionRound.units.through
    inspected = []
    for r in rounds:
        for u in rng.sample(units, min(ROUND_UNITS, len(units))):
            if u.pk in hospitals_departments and rng.random() < 0.3:
                u = rng.choice(hospitals_departments[u.pk])
            inspected.append((r, u))
    through.objects.bulk_create(
        [through(inspectionround_id=r.pk, orgunit_id=u.pk) for r, u in inspected],
        batch_size=2000,
    )
    with_finding = [(r, u) for r, u in inspected if rng.random() < FINDING_SHARE]

    # Problems: the findings' first, then the rest, a quarter of them at departments.
    category = Category.objects.get(code="other")
    statuses, weights = list(STATUSES), list(STATUSES.values())
    plan = [(u, r.date, Problem.Source.INSPECTION) for r, u in with_finding]
    while len(plan) < n_problems:
        u = rng.choice(departments) if departments and rng.random() < 0.25 else rng.choice(units)
        month_start = START if rng.random() < 6 / 7 else D(2024, 2, 1)
        day = month_start + datetime.timedelta(days=rng.randrange(28))
        plan.append((u, day, rng.choice([Problem.Source.VISIT, Problem.Source.SELF_INSPECTION])))
    problems = [
        Problem(
            campaign=campaign,
            unit=u,
            found_unit=u,
            source=source,
            category=category,
            title=f"问题{n}",
            status=rng.choices(statuses, weights)[0],
            reporter=user,
        )
        for n, (u, _day, source) in enumerate(plan)
    ]
    with transaction.atomic():
        problems = Problem.objects.bulk_create(problems, batch_size=2000)
        if problems[0].pk is None:
            problems = list(Problem.objects.filter(campaign=campaign).order_by("id"))
        for p, (_u, day, _s) in zip(problems, plan, strict=True):
            p.created_at = at(day, rng.randint(8, 17))
        Problem.objects.bulk_update(problems, ["created_at"], batch_size=2000)
        Finding.objects.bulk_create(
            [
                Finding(round=r, unit=u, text="台账不全", problem=p, recorded_by=user)
                for (r, u), p in zip(with_finding, problems, strict=False)
            ],
            batch_size=2000,
        )

        # Rectifications of the problems being rectified, claimed or closed.
        rectifications = []
        for p, (_u, day, _s) in zip(problems, plan, strict=True):
            if p.status not in (S.RECTIFYING, S.CLAIMED, S.CLOSED):
                continue
            deadline = day + datetime.timedelta(days=rng.randint(7, 30))
            claimed = closed = None
            if p.status in (S.CLAIMED, S.CLOSED):
                # Most done by the deadline, some up to ten days late.
                late = rng.random() < 0.25
                offset = rng.randint(1, 10) if late else -rng.randint(0, 6)
                claimed = at(deadline + datetime.timedelta(days=offset), rng.randint(8, 17))
                if p.status == S.CLOSED:
                    closed = claimed + datetime.timedelta(days=rng.randint(0, 3))
            rectifications.append(
                Rectification(
                    problem=p,
                    measures="整改措施",
                    target="整改目标",
                    deadline=deadline,
                    first_deadline=deadline,
                    warn_from=deadline - datetime.timedelta(days=7),
                    responsible_person=person,
                    claimed_at=claimed,
                    closed_at=closed,
                    closed_by=user if closed else None,
                )
            )
        Rectification.objects.bulk_create(rectifications, batch_size=2000)

    # Submissions: a one-off report due 15 March and a weekly brief, February to April.
    requirements = [
        Requirement.objects.create(
            campaign=campaign,
            kind=Requirement.Kind.SELF_ANALYSIS,
            title="对照检查材料",
            due_date=D(2024, 3, 15),
        ),
        Requirement.objects.create(
            campaign=campaign,
            kind=Requirement.Kind.BRIEF,
            title="工作简报",
            due_date=D(2024, 2, 5),
            recurrence=Requirement.Recurrence.WEEKLY,
            repeat_until=D(2024, 4, 29),
        ),
    ]
    rows = []
    for requirement in requirements:
        requirement.campaign = campaign
        for due in periods.occurrences(requirement):
            due_at = periods.due_at(due)
            if due > END:
                continue
            for u in units:
                if rng.random() >= SUBMITTED:
                    continue
                sent = due_at - datetime.timedelta(hours=rng.randint(1, 72))
                if rng.random() < 0.15:
                    sent = due_at + datetime.timedelta(hours=rng.randint(1, 96))
                status = rng.choices(
                    [
                        Submission.Status.ACCEPTED,
                        Submission.Status.SUBMITTED,
                        Submission.Status.RETURNED,
                    ],  # fmt: skip
                    weights=[70, 25, 5],
                )[0]
                rows.append(
                    Submission(
                        requirement=requirement,
                        unit=u,
                        due_date=due,
                        due_at=due_at,
                        status=status,
                        first_submitted_at=sent,
                        last_submitted_at=sent,
                        counted_at=sent,
                    )
                )
    with transaction.atomic():
        Submission.objects.bulk_create(rows, batch_size=2000)
    counts = {
        "units": len(units),
        "departments": len(departments),
        "problems": len(problems),
        "rectifications": len(rectifications),
        "rounds": len(rounds),
        "inspected": len(inspected),
        "findings": len(with_finding),
        "submissions": len(rows),
        "manual scores": ManualScore.objects.count(),
    }
    return user, campaign, counts


# --- the floor: what any ranking must at least read ------------------------------------------


UNITS_SQL = """
    SELECT u.id, u.path, u.parent_id, u.kind FROM campaigns_participant p
    JOIN orgs_orgunit u ON u.id = p.unit_id
    WHERE p.campaign_id = %s AND u.is_active AND u.kind <> 'department'
"""
PROBLEMS_SQL = """
    SELECT u.path, p.status, COUNT(*) FROM problems_problem p
    JOIN orgs_orgunit u ON u.id = p.unit_id
    WHERE p.campaign_id = %s AND p.created_at >= %s AND p.created_at < %s
      AND p.status <> 'invalid'
    GROUP BY u.path, p.status
"""
# Overdue: not closed by the end of the deadline's day, China Standard Time.
RECTIFICATIONS_SQL = {
    vendor: f"""
    SELECT u.path,
           CASE WHEN r.closed_at IS NOT NULL AND r.closed_at < {by_deadline}
                THEN 0 ELSE 1 END AS overdue,
           COUNT(*)
    FROM problems_rectification r
    JOIN problems_problem p ON p.id = r.problem_id
    JOIN orgs_orgunit u ON u.id = p.unit_id
    WHERE p.campaign_id = %s AND r.deadline >= %s AND r.deadline <= %s
      AND p.status <> 'invalid' AND (r.closed_at IS NOT NULL OR r.deadline < %s)
    GROUP BY u.path, overdue
"""  # noqa: S608  (a constant per backend, no input)
    for vendor, by_deadline in (
        ("postgresql", "(r.deadline + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'"),
        ("sqlite", "datetime(r.deadline, '+1 day', '-8 hours')"),
    )
}
INSPECTED_SQL = """
    SELECT u.path, ru.inspectionround_id FROM inspections_inspectionround_units ru
    JOIN inspections_inspectionround r ON r.id = ru.inspectionround_id
    JOIN orgs_orgunit u ON u.id = ru.orgunit_id
    WHERE r.campaign_id = %s AND r.date >= %s AND r.date <= %s
"""
FINDINGS_SQL = """
    SELECT u.path, f.round_id FROM inspections_finding f
    JOIN inspections_inspectionround r ON r.id = f.round_id
    JOIN orgs_orgunit u ON u.id = f.unit_id
    WHERE r.campaign_id = %s AND r.date >= %s AND r.date <= %s
    GROUP BY u.path, f.round_id
"""
SUBMISSIONS_SQL = """
    SELECT s.unit_id, s.requirement_id, s.status, s.counted_at <= s.due_at, COUNT(*)
    FROM submissions_submission s
    JOIN submissions_requirement q ON q.id = s.requirement_id
    WHERE q.campaign_id = %s AND s.due_date >= %s AND s.due_date <= %s
    GROUP BY s.unit_id, s.requirement_id, s.status, s.counted_at <= s.due_at
"""
SCORES_SQL = """
    SELECT m.indicator_id, m.unit_id, m.value FROM assessment_manualscore m
    JOIN assessment_indicator i ON i.id = m.indicator_id
    WHERE i.campaign_id = %s AND m.period = %s
"""


def floor_queries(campaign) -> list[tuple[str, str, list]]:
    """(what it serves, SQL, parameters) of each aggregate."""
    # Timestamps as the backend stores them (naive UTC text on SQLite).
    first = connection.ops.adapt_datetimefield_value(at(START, 0))
    after = connection.ops.adapt_datetimefield_value(at(END + datetime.timedelta(days=1), 0))
    today = datetime.datetime.now(CST).date()
    return [
        ("units", UNITS_SQL, [campaign.pk]),
        ("closure_rate", PROBLEMS_SQL, [campaign.pk, first, after]),
        ("overdue_rate", RECTIFICATIONS_SQL[connection.vendor], [campaign.pk, START, END, today]),
        ("inspection_findings", INSPECTED_SQL, [campaign.pk, START, END]),
        ("inspection_findings", FINDINGS_SQL, [campaign.pk, START, END]),
        ("timeliness", SUBMISSIONS_SQL, [campaign.pk, START, END]),
        ("manual", SCORES_SQL, [campaign.pk, PERIOD]),
    ]


def median(fn, runs: int):
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return value, statistics.median(times)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--problems", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    settings.DEBUG = False  # no query log: it would slow down both sides
    call_command("migrate", verbosity=0)
    rng = random.Random(20240320)
    (user, campaign, counts), t_build = median(lambda: build(args.units, args.problems, rng), 1)

    def fresh_user():
        # A fresh user object each time: the grants cache must not flatter the figure.
        return get_user_model().objects.get(pk=user.pk)

    def ranking():
        return campaign_ranking(campaign=campaign, period=PERIOD, user=fresh_user())

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = ranking()
    result, t_ranking = median(ranking, args.runs)

    units = assessed_units(campaign)
    sources = [s for s in SOURCES if campaign.indicators.filter(computed_source=s).exists()]
    t_sources = {}
    for source in sources:
        fn = SOURCES[source]
        _, t_sources[source] = median(
            lambda fn=fn: fn(campaign, units, START, END, fresh_user()),
            args.runs,
        )

    def run_sql(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # A source may need more than one aggregate: its floor is their sum.
    t_floors: dict[str, float] = defaultdict(float)
    floor_rows: dict[str, int] = defaultdict(int)
    queries = floor_queries(campaign)
    for name, sql, params in queries:
        rows, elapsed = median(lambda s=sql, p=params: run_sql(s, p), args.runs)
        t_floors[name] += elapsed
        floor_rows[name] += len(rows)
    t_floor = sum(t_floors.values())

    scored = [r for r in result.rows if r.score is not None]
    print(f"database: {connection.vendor}; build {t_build:.1f} s (not measured below)")
    print(
        "campaign: {units} units ({departments} departments below them), 6 indicators; "
        "{problems} problems, {rectifications} rectifications, {rounds} inspection rounds over "
        "{inspected} units with {findings} findings, {submissions} submissions, "
        "{manual scores} hand scores".format(**counts)
    )
    print(
        f"ranking:  {len(result.rows)} rows, {len(scored)} scored, "
        f"{sum(r.incomplete for r in result.rows)} incomplete, "
        f"{sum(r.bottom for r in result.rows)} bottom-ranked; "
        f"scores {min(r.score for r in scored)} – {max(r.score for r in scored)}"
    )
    print(f"median of {args.runs} runs, seconds:")
    print(f"  ranking  {t_ranking:8.3f}   ({counter.count} queries)")
    for source in sources:
        floor = t_floors.get(source)
        ratio = f"   floor {floor:.3f}, ratio {t_sources[source] / floor:6.1f}" if floor else ""
        print(f"    {source:<20} {t_sources[source]:8.3f}{ratio}")
    rest = t_ranking - sum(t_sources.values())
    print(f"    {'the rest':<20} {rest:8.3f}   (units, hand scores, points, ranks)")
    print(
        f"  floor    {t_floor:8.3f}   ({len(queries)} queries: "
        + ", ".join(f"{name} {rows} rows" for name, rows in floor_rows.items())
        + ")"
    )
    print(f"  ratio    {t_ranking / t_floor:8.1f}   ranking / floor")


if __name__ == "__main__":
    main()
