"""Inspection rounds and their findings, hazard sweeps' self-inspections and spot-checks, and
bulletins: /api/inspections."""

import datetime

from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ducha.api.refs import resolve_ref
from ducha.inspections import selectors, services
from ducha.inspections.models import InspectionRound, SelfInspectionItem
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
    spot_check_id: int | None
    checklist_item: str
    missed_by_self_inspection: bool

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
    self_inspection_deadline: datetime.date | None

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
    self_inspection_deadline: datetime.date | None = None
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
    checklist_item: str = ""


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
        checklist_item=payload.checklist_item,
    )
    return Status(201, finding)


# --- hazard sweeps -------------------------------------------------------------------------------


class SweepToFileOut(Schema):
    round_id: int
    title: str
    campaign_id: int
    unit_id: int
    unit_name: str
    self_inspection_deadline: datetime.date | None
    checklist: list[str]
    status: str

    @staticmethod
    def resolve_round_id(obj) -> int:
        return obj.round.pk

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.round.title

    @staticmethod
    def resolve_campaign_id(obj) -> int:
        return obj.round.campaign_id

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.unit.pk

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_self_inspection_deadline(obj) -> datetime.date | None:
        return obj.round.self_inspection_deadline

    @staticmethod
    def resolve_checklist(obj) -> list[str]:
        return list(obj.round.checklist)


@router.get("/hazard-sweeps", response=list[SweepToFileOut])
def hazard_sweeps_to_file(request):
    """The announced hazard sweeps the caller's units inspect themselves for, with each unit's
    self-inspection status (filed, pending, missing)."""
    return selectors.hazard_sweeps_to_file(request.user)


class SelfInspectionItemIn(Schema):
    item: str
    result: SelfInspectionItem.Result
    note: str = ""


class SelfInspectionIn(Schema):
    items: list[SelfInspectionItemIn]
    note: str = ""


class SelfInspectionItemOut(Schema):
    item: str
    result: str
    note: str
    problem_id: int | None


class SelfInspectionOut(Schema):
    round_id: int
    unit_id: int
    status: str
    submitted_at: datetime.datetime | None = None
    note: str = ""
    items: list[SelfInspectionItemOut] = []


def _self_inspection_out(inspection_round, unit) -> dict:
    filed = selectors.self_inspection_of(inspection_round, unit)
    return {
        "round_id": inspection_round.pk,
        "unit_id": unit.pk,
        "status": selectors.self_inspection_status(
            inspection_round, filed is not None, services.today()
        ),
        "submitted_at": filed.submitted_at if filed else None,
        "note": filed.note if filed else "",
        "items": list(filed.items.all()) if filed else [],
    }


@router.get("/{int:round_id}/self-inspections/{int:unit_id}", response=SelfInspectionOut)
def self_inspection_get(request, round_id: int, unit_id: int):
    """A unit's self-inspection: to the unit itself and to the issuing side."""
    inspection_round, unit = access.get_hazard_sweep_unit_for_user(request.user, round_id, unit_id)
    return _self_inspection_out(inspection_round, unit)


@router.post("/{int:round_id}/self-inspections/{int:unit_id}", response={201: SelfInspectionOut})
def self_inspection_submit(request, round_id: int, unit_id: int, payload: SelfInspectionIn):
    """File the unit's self-inspection: every checklist item `ok` or `hazard` (with a note),
    by the end of the deadline day, once (a second filing is refused, 422). Each hazard becomes
    a problem of the unit."""
    user = request.user
    inspection_round, unit = access.get_hazard_sweep_unit_for_user(
        user, round_id, unit_id, write=True
    )
    services.self_inspection_submit(
        actor=user,
        inspection_round=inspection_round,
        unit=unit,
        results=[item.model_dump() for item in payload.items],
        note=payload.note,
    )
    return Status(201, _self_inspection_out(inspection_round, unit))


class SpotCheckIn(Schema):
    unit_id: int
    date: datetime.date
    note: str = ""


class SpotCheckOut(Schema):
    id: int
    round_id: int
    unit_id: int
    date: datetime.date
    note: str


@router.post("/{int:round_id}/spot-checks", response={201: SpotCheckOut})
def spot_check_create(request, round_id: int, payload: SpotCheckIn):
    """The issuing office's spot-check of one of the sweep's units, after its self-inspection;
    record its findings with POST /{round_id}/findings."""
    user = request.user
    inspection_round = access.get_inspection_round_for_user(user, round_id, write=True)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    spot_check = services.spot_check_record(
        actor=user,
        inspection_round=inspection_round,
        unit=unit,
        date=payload.date,
        note=payload.note,
    )
    return Status(201, spot_check)


class SweepRowOut(Schema):
    unit_id: int
    unit_name: str
    status: str
    hazards: int
    spot_check_date: datetime.date | None
    findings: int
    missed: int

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.unit.pk

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_spot_check_date(obj) -> datetime.date | None:
        return obj.spot_check.date if obj.spot_check else None


@router.get("/{int:round_id}/sweep", response=list[SweepRowOut])
def sweep_overview(request, round_id: int):
    """Per unit of a hazard sweep: self-inspection status and hazards reported, spot-check,
    findings and those missed by the self-inspection. For the issuing side."""
    inspection_round = access.get_inspection_round_for_user(request.user, round_id)
    if not inspection_round.is_hazard_sweep:
        raise Http404
    return selectors.hazard_sweep_overview(inspection_round).rows


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
