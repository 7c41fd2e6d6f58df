"""How long the visit side takes: preparing phone photos, the visit ledger's export and
import, and quota attainment over the demo district.

    .venv/bin/python bench/bench_visits.py [--visits 2000 10000]

Runs on a fresh SQLite database in a temporary directory (set BENCH_DATABASE_URL to measure
a scratch PostgreSQL database instead; it must be empty and disposable).
"""

from __future__ import annotations

import argparse
import datetime
import io
import time

import _django  # noqa: E402, F401  (sets up Django for the benchmark)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from PIL import Image  # noqa: E402

from ducha.campaigns.models import Campaign, Participant  # noqa: E402
from ducha.core import demo, demo_data  # noqa: E402
from ducha.orgs.models import OrgUnit, Person, Place  # noqa: E402
from ducha.visits import ledgers, photos, quotas  # noqa: E402
from ducha.visits.demo import add_visit_demo  # noqa: E402
from ducha.visits.models import Quota, Visit  # noqa: E402


def _photo(size, gps: bool) -> bytes:
    # Noise drawn at a quarter of the size and scaled up: a phone photo's file size.
    small = Image.effect_noise((size[0] // 4, size[1] // 4), 60).convert("RGB")
    image = small.resize(size, Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x0112] = 6
    if gps:
        exif[0x8825] = {1: "N", 2: (28.0, 38.0, 12.5), 3: "E", 4: (121.0, 15.0, 3.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def bench_photos() -> None:
    print("photos (prepare_photo: verify, display copy ≤1600 px, GPS handling)")
    for label, size in (("12 MP", (4000, 3000)), ("48 MP", (8000, 6000))):
        for gps in (False, True):
            data = _photo(size, gps)
            started = time.perf_counter()
            photos.prepare_photo(io.BytesIO(data), keep_location=False, name="p.jpg")
            took = time.perf_counter() - started
            what = "GPS removed, original re-encoded" if gps else "no GPS, original kept as is"
            print(f"  {label} {len(data) / 1e6:5.1f} MB, {what:32s} {took:6.2f} s")


def _campaign() -> Campaign:
    district = OrgUnit.objects.get(code=demo_data.DISTRICT[0])
    campaign = Campaign.objects.create(
        title="黄岩区卫生系统“进村入企大走访、比学赶创促发展”活动",
        unit=district,
        status=Campaign.Status.ACTIVE,
        starts_on=datetime.date(2012, 4, 18),
        ends_on=datetime.date(2012, 9, 30),
    )
    units = OrgUnit.objects.filter(path__startswith=district.path).exclude(pk=district.pk)
    Participant.objects.bulk_create(
        [
            Participant(campaign=campaign, unit=u)
            for u in units.exclude(kind=OrgUnit.Kind.DEPARTMENT)
        ]
    )
    return campaign


def bench_demo_and_quotas(campaign: Campaign) -> None:
    started = time.perf_counter()
    counts = add_visit_demo(campaign, today=datetime.date(2012, 9, 30))
    print(f"add_visit_demo: {counts} in {time.perf_counter() - started:.2f} s")
    office = Person.objects.get(name=demo_data.OFFICE_DIRECTOR).user
    for quota in campaign.quotas.all():
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = quotas.quota_attainment(quota, user=office, today=datetime.date(2012, 9, 30))
            took = time.perf_counter() - started
        print(
            f"  {quota.get_activity_display():32s} {len(result.rows):4d} counted, "
            f"{result.met:4d} met ({result.percent:3d}%), {len(result.units):3d} units, "
            f"{len(ctx.captured_queries)} queries, {took * 1000:.0f} ms"
        )


def _fill(campaign: Campaign, base: list[dict], size: int) -> None:
    """Exactly `size` visits: the demo's, repeated on other days of the campaign."""
    Visit.objects.filter(campaign=campaign).delete()
    start, end = campaign.starts_on, campaign.ends_on
    span = (end - start).days + 1
    rows, groups = [], []
    for n in range(size):
        visit = base[n % len(base)]
        shift = n // len(base)
        day = start + datetime.timedelta(days=((visit["date"] - start).days + shift) % span)
        rows.append(
            Visit(
                campaign=campaign,
                unit_id=visit["unit_id"],
                date=day,
                target_kind=visit["target_kind"],
                target_unit_id=visit["target_unit_id"],
                checklist_id=visit["checklist_id"],
                checklist_answers=visit["answers"],
                notes=visit["notes"],
                problems_found=visit["problems"],
                discipline_affirmed=True,
                client_token=f"bench:{size}:{n}",
            )
        )
        groups.append(visit)
    Visit.objects.bulk_create(rows, batch_size=1000)
    if not all(v.pk for v in rows):
        ids = dict(Visit.objects.filter(campaign=campaign).values_list("client_token", "id"))
        for visit in rows:
            visit.pk = ids[visit.client_token]
    Visit.visitors.through.objects.bulk_create(
        [
            Visit.visitors.through(visit_id=v.pk, person_id=p)
            for v, g in zip(rows, groups, strict=True)
            for p in g["visitors"]
        ],
        batch_size=1000,
    )
    Visit.places.through.objects.bulk_create(
        [
            Visit.places.through(visit_id=v.pk, place_id=p)
            for v, g in zip(rows, groups, strict=True)
            for p in g["places"]
        ],
        batch_size=1000,
    )


def bench_ledger(campaign: Campaign, sizes) -> None:
    office = Person.objects.get(name=demo_data.OFFICE_DIRECTOR).user
    base = [
        {
            "unit_id": v.unit_id,
            "date": v.date,
            "target_kind": v.target_kind,
            "target_unit_id": v.target_unit_id,
            "checklist_id": v.checklist_id,
            "answers": v.checklist_answers,
            "notes": v.notes,
            "problems": v.problems_found,
            "visitors": [p.pk for p in v.visitors.all()],
            "places": [p.pk for p in v.places.all()],
        }
        for v in Visit.objects.filter(campaign=campaign).prefetch_related("visitors", "places")
    ]
    for size in sizes:
        _fill(campaign, base, size)
        started = time.perf_counter()
        export = ledgers.visit_ledger_export(actor=office, campaign=campaign)
        took = time.perf_counter() - started
        data = export.file.read()
        print(f"ledger export: {export.rows} visits, {len(data) / 1e6:.1f} MB, {took:.2f} s")
        Visit.objects.filter(campaign=campaign).delete()
        started = time.perf_counter()
        result = ledgers.visit_ledger_import(
            actor=office, campaign=campaign, file=io.BytesIO(data), filename="台账.xlsx"
        )
        took = time.perf_counter() - started
        status = f"{result.created} written" if result.ok else f"{len(result.errors)} errors"
        print(f"ledger import: {result.rows} rows, {status}, {took:.2f} s")
        for error in result.errors[:3]:
            print(f"    row {error.row} {error.column}: {error.reason}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, nargs="*", default=[2000])
    parser.add_argument("--no-photos", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not args.no_photos:
        bench_photos()
    demo.demo_build(seed=2012)
    print(f"demo: {Person.objects.count()} people, {Place.objects.count()} places")
    campaign = _campaign()
    bench_demo_and_quotas(campaign)
    bench_ledger(campaign, args.visits)
    print(f"database: {connection.vendor}; quotas defined: {Quota.objects.count()}")


if __name__ == "__main__":
    main()
