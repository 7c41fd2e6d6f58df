"""Inspection rounds and their findings: /api/inspections."""

import datetime

from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ducha.api.refs import resolve_ref
from ducha.inspections import selectors, services
from ducha.inspections.models import InspectionRound
from ducha.orgs import access
from ducha.problems.models import Problem

router = Router(tags=["inspections"])


class FindingOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    text: str
    severity: str
    problem_id: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class RoundOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    title: str
    kind: str
    mode: str
    bodies: list[str]
    is_joint: bool
    date: datetime.date
    checklist: list[str]

    @staticmethod
    def resolve_bodies(obj) -> list[str]:
        return obj.body_list


class RoundDetailOut(RoundOut):
    unit_ids: list[int]
    findings: list[FindingOut]

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return sorted(u.pk for u in obj.units.all())

    @staticmethod
    def resolve_findings(obj) -> list:
        return list(selectors.findings_of(obj))


class RoundFilters(Schema):
    campaign_id: int | None = None


@router.get("", response=list[RoundOut])
@paginate(PageNumberPagination)
def round_list(request, filters: Query[RoundFilters]):
    user = request.user
    campaign = None
    if filters.campaign_id is not None:
        campaign = access.get_campaign_for_user(user, filters.campaign_id)
    return selectors.inspection_round_list(user, campaign=campaign)


@router.get("/{int:round_id}", response=RoundDetailOut)
def round_get(request, round_id: int):
    return access.get_inspection_round_for_user(request.user, round_id)


class RoundIn(Schema):
    campaign_id: int
    title: str
    date: datetime.date
    kind: InspectionRound.Kind = InspectionRound.Kind.MONTHLY
    mode: InspectionRound.Mode = InspectionRound.Mode.OPEN
    bodies: list[str] = []
    checklist: list[str] = []
    unit_ids: list[int]


@router.post("", response={201: RoundDetailOut})
def round_create(request, payload: RoundIn):
    """A round of the campaign's office over `unit_ids`, units under the issuing unit."""
    user = request.user
    campaign = access.get_campaign_for_user(user, payload.campaign_id, write=True)
    units = [
        resolve_ref(access.get_unit_for_user, user, pk, field="unit_ids") for pk in payload.unit_ids
    ]
    fields = payload.model_dump(exclude={"campaign_id", "unit_ids", "bodies"})
    inspection_round = services.inspection_round_create(
        actor=user, campaign=campaign, units=units, bodies="\n".join(payload.bodies), **fields
    )
    return Status(201, inspection_round)


class FindingIn(Schema):
    unit_id: int
    text: str
    severity: Problem.Severity = Problem.Severity.MINOR


@router.post("/{int:round_id}/findings", response={201: FindingOut})
def finding_create(request, round_id: int, payload: FindingIn):
    """Record a finding at one of the round's units; it is listed as that unit's problem."""
    user = request.user
    inspection_round = access.get_inspection_round_for_user(user, round_id, write=True)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    finding = services.finding_record(
        actor=user,
        inspection_round=inspection_round,
        unit=unit,
        text=payload.text,
        severity=payload.severity,
    )
    return Status(201, finding)


# --- bulletins ---------------------------------------------------------------------------------


class BulletinOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    period: str
    title: str
    body: str
    doc_prefix: str
    doc_number: str
    copy_to: str
    status: str
    criticised_ids: list[int]
    problem_ids: list[int]
    issued_at: datetime.datetime | None

    @staticmethod
    def resolve_criticised_ids(obj) -> list[int]:
        return sorted(u.pk for u in obj.criticised.all())

    @staticmethod
    def resolve_problem_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.problems.all())


class BulletinDraftIn(Schema):
    campaign_id: int
    period: str
    title: str = ""


@router.post("/bulletins", response={201: BulletinOut})
def bulletin_create(request, payload: BulletinDraftIn):
    """A draft bulletin for the month (YYYY-MM), its text written from the campaign's data."""
    user = request.user
    campaign = access.get_campaign_for_user(user, payload.campaign_id, write=True)
    bulletin = services.bulletin_draft(
        actor=user, campaign=campaign, period=payload.period, title=payload.title
    )
    return Status(201, bulletin)


@router.get("/bulletins/{int:bulletin_id}", response=BulletinOut)
def bulletin_get(request, bulletin_id: int):
    return access.get_bulletin_for_user(request.user, bulletin_id)


class BulletinIn(Schema):
    title: str
    body: str
    doc_prefix: str = ""
    copy_to: str = ""
    criticised_ids: list[int] = []


@router.put("/bulletins/{int:bulletin_id}", response=BulletinOut)
def bulletin_update(request, bulletin_id: int, payload: BulletinIn):
    """Edit a draft; an issued bulletin is frozen (422)."""
    user = request.user
    bulletin = access.get_bulletin_for_user(user, bulletin_id, write=True)
    criticised = [
        resolve_ref(access.get_unit_for_user, user, pk, field="criticised_ids")
        for pk in payload.criticised_ids
    ]
    fields = payload.model_dump(exclude={"criticised_ids"})
    return services.bulletin_update(actor=user, bulletin=bulletin, criticised=criticised, **fields)


@router.post("/bulletins/{int:bulletin_id}/issue", response=BulletinOut)
def bulletin_issue(request, bulletin_id: int):
    """Number and freeze the bulletin; units criticised by name get a problem each."""
    user = request.user
    bulletin = access.get_bulletin_for_user(user, bulletin_id, write=True)
    return services.bulletin_issue(actor=user, bulletin=bulletin)
