"""How fast the reporting-rate roll-up runs, against the floor of one SQL GROUP BY.

    .venv/bin/python bench/bench_rates.py [--units 2000] [--runs 5]

Runs on a fresh SQLite database in a temporary directory (set BENCH_DATABASE_URL to measure
a scratch PostgreSQL database instead; it must be empty and disposable). Builds a city campaign
with --units participating units in 10 counties, 5 requirements (4 one-off, 1 weekly over 20
weeks), about 80% of the expected reports submitted (on time, late or returned), then times:

  rates  the roll-up the dashboard and the API use (ducha.submissions.rates.campaign_rates)
         for the whole tree, seen from the city's campaign office;
  grid   building the units x requirements grid from it;
  page   the whole dashboard page (roll-up, grid, lists, HTML) through the test client;
  floor  one GROUP BY over the campaign's submissions (counts by unit, requirement, status and
         on time), fetched: what any roll-up must at least read.

Each is the best of --runs runs; ratio = rates / floor.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from zoneinfo import ZoneInfo

import _django  # noqa: E402, F401  (sets up Django for the benchmark)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from ducha.campaigns.models import Campaign, Participant  # noqa: E402
from ducha.orgs.models import OrgUnit, Person, Role, RoleAssignment  # noqa: E402
from ducha.submissions import periods, rates  # noqa: E402
from ducha.submissions.models import Requirement, Submission  # noqa: E402

CST = ZoneInfo("Asia/Shanghai")
COUNTIES = 10
WEEKS = 20
SUBMITTED = 0.8
D = datetime.date
AS_OF = D(2012, 10, 8)

FLOOR_SQL = """
    SELECT s.unit_id, s.requirement_id, s.status, s.counted_at <= s.due_at AS on_time, COUNT(*)
    FROM submissions_submission s
    JOIN submissions_requirement r ON r.id = s.requirement_id
    WHERE r.campaign_id = %s
    GROUP BY s.unit_id, s.requirement_id, s.status, s.counted_at <= s.due_at
"""


def build(n_units: int):
    def unit(code, name, kind, parent):
        u = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent, path="/")
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.depth = parent.depth + 1 if parent else 0
        u.save(update_fields=["path", "depth"])
        return u

    root = unit("P00", "江州市卫生健康委员会", OrgUnit.Kind.COMMISSION, None)
    city = unit("C01", "黄州市卫生局", OrgUnit.Kind.BUREAU, root)
    counties = [unit(f"D{i:02d}", f"第{i}区卫生健康局", OrgUnit.Kind.BUREAU, city) for i in range(COUNTIES)]  # fmt: skip
    units = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                code=f"H{i:05d}",
                name=f"第{i % COUNTIES}区第{i}卫生院",
                kind=OrgUnit.Kind.TOWNSHIP_CENTRE,
                parent=counties[i % COUNTIES],
                path="/",
                depth=3,
            )
            for i in range(n_units)
        ],
        batch_size=1000,
    )
    if units[0].pk is None:  # a backend that doesn't return ids from bulk_create
        units = list(OrgUnit.objects.filter(depth=3).order_by("code"))
    for u in units:
        u.path = f"{u.parent.path}{u.pk}/"
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=1000)

    user = get_user_model().objects.create(username="bench")
    person = Person.objects.create(code="OFFICE", name="办公室", unit=city, user=user)
    RoleAssignment.objects.create(person=person, unit=city, role=Role.CAMPAIGN_OFFICE)

    campaign = Campaign.objects.create(
        title="效能建设专项活动",
        unit=city,
        status=Campaign.Status.ACTIVE,
        starts_on=D(2012, 5, 1),
        ends_on=D(2012, 10, 31),
    )
    Participant.objects.bulk_create(
        [Participant(campaign=campaign, unit=u) for u in units], batch_size=1000
    )
    kinds = Requirement.Kind
    requirements = [
        Requirement.objects.create(campaign=campaign, kind=kind, title=title, due_date=due)
        for kind, title, due in (
            (kinds.UNIT_PLAN, "实施方案", D(2012, 5, 15)),
            (kinds.SELF_ANALYSIS, "对照检查材料", D(2012, 6, 18)),
            (kinds.RECTIFICATION_MEASURES, "整改措施", D(2012, 7, 31)),
            (kinds.SUMMARY_REPORT, "总结报告", D(2012, 9, 28)),
        )
    ]
    first = D(2012, 5, 7)
    requirements.append(
        Requirement.objects.create(
            campaign=campaign,
            kind=kinds.BRIEF,
            title="工作简报",
            due_date=first,
            recurrence=Requirement.Recurrence.WEEKLY,
            repeat_until=first + datetime.timedelta(weeks=WEEKS - 1),
        )
    )

    rng = random.Random(20120618)
    rows = []
    for requirement in requirements:
        requirement.campaign = campaign
        for due in periods.occurrences(requirement):
            due_at = periods.due_at(due)
            for u in units:
                if rng.random() >= SUBMITTED:
                    continue
                # Most on time, some a few days late, a few returned for correction.
                late = rng.random() < 0.15
                at = due_at - datetime.timedelta(hours=rng.randint(1, 72))
                if late:
                    at = due_at + datetime.timedelta(hours=rng.randint(1, 96))
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
                        first_submitted_at=at,
                        last_submitted_at=at,
                        counted_at=at,
                    )
                )
    with transaction.atomic():
        Submission.objects.bulk_create(rows, batch_size=2000)
    return user, campaign, len(units), len(rows)


def best(fn, runs: int):
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return value, min(times)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    settings.DEBUG = False  # no query log: it would slow down both sides
    call_command("migrate", verbosity=0)
    (user, campaign, n_units, n_subs), t_build = best(lambda: build(args.units), 1)

    def roll_up():
        # A fresh user object each time: the grants cache must not flatter the figure.
        fresh = get_user_model().objects.get(pk=user.pk)
        return rates.campaign_rates(campaign=campaign, user=fresh, as_of=AS_OF)

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        result = roll_up()
    result, t_rates = best(roll_up, args.runs)
    _, t_grid = best(lambda: rates.rates_grid(result), args.runs)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [campaign.pk])
            return cursor.fetchall()

    groups, t_floor = best(floor, args.runs)

    client = Client()
    client.force_login(user)
    page_url = f"/campaigns/{campaign.pk}/dashboard/"

    def page():
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    page_bytes, t_page = best(page, max(1, args.runs // 2))

    total = result.total
    cells = total.expected + total.pending
    print(f"database: {connection.vendor}; build {t_build:.1f} s (not measured below)")
    print(
        f"campaign: {n_units} units in {COUNTIES} counties x 5 requirements (4 once, 1 weekly "
        f"x {WEEKS}); {cells} cells, {n_subs} submissions ({n_subs / cells:.0%})"
    )
    print(
        f"figures:  expected {total.expected}, received {total.received}, on time "
        f"{total.on_time}, late {total.late}, returned {total.returned}, missing "
        f"{total.missing}; reporting rate {total.reporting_rate_text}, timeliness "
        f"{total.timeliness_text}; {len(result.units)} rows"
    )
    print(f"best of {args.runs} runs, seconds:")
    print(f"  rates  {t_rates:8.3f}   ({counter.count} queries)")
    print(f"  grid   {t_grid:8.3f}")
    print(f"  page   {t_page:8.3f}   ({page_bytes / 1024 / 1024:.1f} MB of HTML)")
    print(f"  floor  {t_floor:8.3f}   (one GROUP BY, {len(groups)} groups)")
    print(f"  ratio  {t_rates / t_floor:8.1f}   rates / floor")


if __name__ == "__main__":
    main()
