"""Builders for the visit tests. Campaigns are rows made here directly (the campaign
services belong to another context); visits go through the service unless a test wants a
row the service would refuse."""

import datetime
import io
import uuid

from freezegun import freeze_time
from PIL import Image

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs.models import Place, Role
from ducha.orgs.tests.factories import PlaceFactory, make_member
from ducha.visits.models import ChecklistTemplate, ContactAssignment, Visit

# Mid-campaign, China Standard Time: tests that check dates freeze the clock here.
TODAY = datetime.date(2024, 5, 15)


def frozen_today():
    return freeze_time("2024-05-15 10:00:00+08:00")


FIVE_PROHIBITIONS = (
    "不准接受宴请\n不准收受礼品礼金\n不准参加高消费娱乐\n不准违背群众意愿\n不准层层陪同"
)


def make_campaign(tree, **fields) -> Campaign:
    """An active campaign of the county bureau (Alice's), reaching both hospitals."""
    values = {
        "title": "东湖区进村入企大走访活动",
        "doc_number": "东卫发〔2024〕39号",
        "unit": tree.county,
        "status": Campaign.Status.ACTIVE,
        "starts_on": datetime.date(2024, 3, 1),
        "ends_on": datetime.date(2024, 8, 31),
        "discipline_rules": FIVE_PROHIBITIONS,
        **fields,
    }
    campaign = Campaign.objects.create(**values)
    for unit in (tree.hospital, tree.hospital2):
        Participant.objects.create(campaign=campaign, unit=unit)
    return campaign


def make_staff(tree, count: int = 5) -> list:
    """More staff at the hospital, to fill a visit group."""
    return [
        make_member(f"staff{n}", tree.hospital, Role.STAFF, name=f"职工{n}")
        for n in range(1, count + 1)
    ]


def make_enterprise(tree) -> Place:
    """An enterprise under the other hospital: not a contact place of Sam's hospital."""
    return PlaceFactory(
        code="E01", name="东湖模具有限公司", unit=tree.hospital2, kind=Place.Kind.ENTERPRISE
    )


def builtin(code: str) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(code=code, builtin=True)


def pair(campaign, unit, place) -> ContactAssignment:
    return ContactAssignment.objects.create(
        campaign=campaign, kind=ContactAssignment.Kind.UNIT_PLACE, unit=unit, target_place=place
    )


def make_visit(campaign, unit, date, visitors, places=(), **fields) -> Visit:
    """A visit row as the service would write it, without its checks."""
    places = list(places)
    kinds = {p.kind for p in places}
    visit = Visit.objects.create(
        campaign=campaign,
        unit=unit,
        date=date,
        target_kind=fields.pop("target_kind", "enterprise" if "enterprise" in kinds else "village"),
        discipline_affirmed=True,
        client_token=uuid.uuid4().hex,
        **fields,
    )
    visit.visitors.set(visitors)
    visit.places.set(places)
    return visit


def jpeg_bytes(size=(3000, 2000), *, gps: bool = False, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (28.0, 38.0, 12.5), 3: "E", 4: (121.0, 15.0, 3.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def png_bytes(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 200, 0, 128)).save(out, "PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
