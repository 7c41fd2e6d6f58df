"""How fast the people ledger imports, against the floor of a bare bulk INSERT.

    .venv/bin/python bench/bench_import.py [--rows 10000 50000]

Runs on a fresh SQLite database in a temporary directory (set BENCH_DATABASE_URL to measure
a scratch PostgreSQL database instead; it must be empty and disposable). For each size it
builds an .xlsx of people in memory, imports it through the same service the page calls
(read, check every row, write in one transaction, one audit entry), then times a plain
bulk_create of the same people and posts without reading or checking anything, and prints
rows per second and the ratio of the two.
"""

from __future__ import annotations

import argparse
import io
import time

import _django  # noqa: E402, F401  (sets up Django for the benchmark)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from ducha.orgs.ledgers import services  # noqa: E402
from ducha.orgs.ledgers.readers import read_table  # noqa: E402
from ducha.orgs.models import OrgUnit, Person, Post, Role, RoleAssignment  # noqa: E402

HEADER = ["工号", "姓名", "性别", "单位编码", "职务", "党员", "电话", "邮箱"]
UNITS = 40


def build_tree():
    def unit(code, name, kind, parent):
        u = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent, path="/")
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.depth = parent.depth + 1 if parent else 0
        u.save(update_fields=["path", "depth"])
        return u

    root = unit("P00", "江州市卫生健康委员会", OrgUnit.Kind.COMMISSION, None)
    county = unit("D01", "东湖区卫生健康局", OrgUnit.Kind.BUREAU, root)
    for i in range(UNITS):
        unit(f"H{i:02d}", f"东湖区第{i}医院", OrgUnit.Kind.HOSPITAL, county)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="bench")
    person = Person.objects.create(code="ADMIN", name="管理员", unit=root, user=user)
    RoleAssignment.objects.create(person=person, unit=root, role=Role.SYSTEM_ADMIN)
    return user


def people_rows(n: int, prefix: str) -> list[list]:
    return [
        [
            f"{prefix}{i:06d}",
            f"人员{i}",
            "男" if i % 2 else "女",
            f"H{i % UNITS:02d}",
            "院长、党委书记" if i % 50 == 0 else "医师",
            "是" if i % 3 == 0 else "否",
            f"138{i:08d}",
            "",
        ]
        for i in range(n)
    ]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def import_once(user, n: int) -> dict:
    rows = people_rows(n, "I")
    data = xlsx(rows)
    ledger = services.LEDGERS["people"]

    table, t_read = timed(lambda: read_table(io.BytesIO(data), ledger.columns))
    (plan, errors), t_check = timed(lambda: ledger.validate(actor=user, table=table))
    assert not errors, errors[:3]

    result, t_total = timed(
        lambda: services.ledger_import(
            actor=user, ledger=ledger, file=io.BytesIO(data), filename="bench.xlsx"
        )
    )
    assert result.ok and result.created == n, result.errors[:3]

    units = {u.code: u.pk for u in OrgUnit.objects.all()}

    def floor():
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [
                    Person(
                        code=f"F{i:06d}",
                        name=r[1],
                        gender="male" if r[2] == "男" else "female",
                        unit_id=units[r[3]],
                        phone=r[6],
                        is_party_member=r[5] == "是",
                    )
                    for i, r in enumerate(rows)
                ],
                batch_size=1000,
            )
            Post.objects.bulk_create(
                [
                    Post(person_id=p.pk, unit_id=p.unit_id, title=t, sort_order=k)
                    for p, r in zip(people, rows, strict=True)
                    for k, t in enumerate(r[4].split("、"))
                ],
                batch_size=1000,
            )

    _, t_floor = timed(floor)
    Post.objects.filter(person__code__regex=r"^[IF]\d").delete()
    Person.objects.filter(code__regex=r"^[IF]\d").delete()
    return {
        "n": n,
        "file_mb": len(data) / 1024 / 1024,
        "read": t_read,
        "check": t_check,
        "total": t_total,
        "floor": t_floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()

    settings.DEBUG = False  # no query log: it would slow down both sides
    call_command("migrate", verbosity=0)
    user = build_tree()
    vendor = connection.vendor
    print(f"database: {vendor}; people ledger, {UNITS} units; times in seconds")
    print(
        f"{'rows':>7} {'file MB':>8} {'read':>7} {'check':>7} {'import':>7} "
        f"{'rows/s':>8} {'floor':>7} {'floor rows/s':>13} {'ratio':>6}"
    )
    for n in args.rows:
        r = import_once(user, n)
        print(
            f"{r['n']:>7} {r['file_mb']:>8.2f} {r['read']:>7.2f} {r['check']:>7.2f} "
            f"{r['total']:>7.2f} {r['n'] / r['total']:>8.0f} {r['floor']:>7.2f} "
            f"{r['n'] / r['floor']:>13.0f} {r['total'] / r['floor']:>6.1f}"
        )
    print(
        "import = read + check + write + audit, the whole service call; read and check are "
        "also timed alone.\nfloor = bulk_create of the same people and posts, nothing read "
        "or checked; ratio = import / floor."
    )


if __name__ == "__main__":
    main()
