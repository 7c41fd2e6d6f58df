"""Visits, their photos, checklists, contact assignments, quotas with their attainment, and
the study log: /api/visits/.

The same access rules and services as the pages: a visit or campaign outside the caller's
scope is a 404 like a missing one; households' names are masked unless the caller may read
them (DOMAIN §16).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from ducha.api.refs import resolve_ref
from ducha.orgs import access
from ducha.orgs.models import Place
from ducha.visits import quotas, selectors, services
from ducha.visits.models import ChecklistTemplate, ContactAssignment, Quota, StudyRecord

router = Router(tags=["visits"])


def _masker(request):
    masker = getattr(request, "_ducha_place_masker", None)
    if masker is None:
        masker = request._ducha_place_masker = access.PlaceMasker(request.user)
    return masker


def _campaign(request, campaign_id: int):
    return access.get_campaign_for_user(request.user, campaign_id)


# --- visits --------------------------------------------------------------------------------


class PlaceRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    personal_data_masked: bool


class PersonRef(Schema):
    id: int
    code: str
    name: str


class PhotoOut(Schema):
    id: int
    original_name: str
    width: int
    height: int
    size: int
    display_url: str
    original_url: str

    @staticmethod
    def resolve_display_url(obj) -> str:
        return f"/visits/photos/{obj.pk}/display/"

    @staticmethod
    def resolve_original_url(obj) -> str:
        return f"/visits/photos/{obj.pk}/original/"


class VisitOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    date: datetime.date
    target_kind: str
    target_unit_id: int | None
    visitors: list[PersonRef]
    places: list[PlaceRef]
    checklist_id: int | None
    checklist_answers: dict
    notes: str
    problems_found: str
    discipline_affirmed: bool
    photos: list[PhotoOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_visitors(obj) -> list[dict]:
        return [{"id": p.pk, "code": p.code, "name": p.name} for p in obj.visitors.all()]

    @staticmethod
    def resolve_places(obj, context) -> list[dict]:
        masker = _masker(context["request"])
        return [
            {
                "id": p.pk,
                "code": p.code,
                "name": masker.values(p)["name"],
                "kind": p.kind,
                "personal_data_masked": p.is_household and not masker.visible(p),
            }
            for p in obj.places.all()
        ]

    @staticmethod
    def resolve_photos(obj) -> list:
        return list(obj.photos.all())


class VisitFilters(Schema):
    campaign_id: int | None = None
    unit_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    place_kind: Place.Kind | None = None


@router.get("", response=list[VisitOut])
@paginate(PageNumberPagination)
def visit_list(request, filters: Query[VisitFilters]):
    """Visits of units in the caller's scope, newest first."""
    user = request.user
    campaign = _campaign(request, filters.campaign_id) if filters.campaign_id else None
    unit = access.get_unit_for_user(user, filters.unit_id) if filters.unit_id else None
    return selectors.visits_list(
        user,
        campaign=campaign,
        unit=unit,
        date_from=filters.date_from,
        date_to=filters.date_to,
        place_kind=filters.place_kind or "",
    ).prefetch_related("photos")


class VisitIn(Schema):
    campaign_id: int
    unit_id: int
    date: datetime.date
    visitor_ids: list[int]
    place_ids: list[int] = []
    target_unit_id: int | None = None
    checklist_id: int | None = None
    checklist_answers: dict = {}
    notes: str = ""
    problems_found: str = ""
    discipline_affirmed: bool = False
    client_token: str


def _first_or_404(queryset):
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def _visit(request, visit_id: int):
    return _first_or_404(
        access.visits_for_user(request.user)
        .select_related("campaign", "unit", "target_unit", "checklist")
        .prefetch_related("visitors", "places__unit", "photos")
        .filter(pk=visit_id)
    )


@router.post("", response={201: VisitOut})
def visit_create(request, payload: VisitIn):
    """Record a visit. Sending the same client_token again returns the visit it made; photos
    are added with POST /api/visits/{id}/photos."""
    user = request.user
    campaign = _campaign(request, payload.campaign_id)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    people = {p.pk: p for p in access.people_for_user(user).filter(pk__in=payload.visitor_ids)}
    places = {p.pk: p for p in access.places_for_user(user).filter(pk__in=payload.place_ids)}
    missing = {}
    if set(payload.visitor_ids) - set(people):
        missing["visitor_ids"] = [_("No such record in your scope.")]
    if set(payload.place_ids) - set(places):
        missing["place_ids"] = [_("No such record in your scope.")]
    if missing:
        raise ValidationError(missing)
    checklist = None
    if payload.checklist_id is not None:
        checklist = selectors.checklists_for(campaign).filter(pk=payload.checklist_id).first()
        if checklist is None:
            raise ValidationError({"checklist_id": [_("No such record in your scope.")]})
    target_unit = resolve_ref(
        access.get_unit_for_user, user, payload.target_unit_id, field="target_unit_id"
    )
    visit = services.visit_log(
        actor=user,
        campaign=campaign,
        unit=unit,
        date=payload.date,
        visitors=[people[pk] for pk in payload.visitor_ids],
        places=[places[pk] for pk in payload.place_ids],
        target_unit=target_unit,
        checklist=checklist,
        checklist_answers=payload.checklist_answers,
        notes=payload.notes,
        problems_found=payload.problems_found,
        discipline_affirmed=payload.discipline_affirmed,
        client_token=payload.client_token,
    )
    return Status(201, _visit(request, visit.pk))


@router.get("/{int:visit_id}", response=VisitOut)
def visit_get(request, visit_id: int):
    return _visit(request, visit_id)


@router.delete("/{int:visit_id}", response={204: None})
def visit_delete(request, visit_id: int):
    visit = access.get_visit_for_user(request.user, visit_id, write=True)
    services.visit_delete(actor=request.user, visit=visit)
    return Status(204, None)


@router.post("/{int:visit_id}/photos", response={201: PhotoOut})
def photo_add(request, visit_id: int, photo: File[UploadedFile]):
    """Add one photo (multipart field `photo`): JPEG, PNG or WebP, at most PHOTO_MAX_MB."""
    visit = access.get_visit_for_user(request.user, visit_id, write=True)
    return Status(201, services.visit_photo_add(actor=request.user, visit=visit, upload=photo))


# --- checklists and contact assignments ----------------------------------------------------


class ChecklistOut(Schema):
    id: int
    code: str
    name: str
    target: ChecklistTemplate.Target
    builtin: bool
    items: list[dict]


@router.get("/checklists", response=list[ChecklistOut])
def checklist_list(request, campaign_id: int):
    """The built-in checklists and the campaign's own."""
    return list(selectors.checklists_for(_campaign(request, campaign_id)))


class AssignmentOut(Schema):
    id: int
    kind: ContactAssignment.Kind
    person_id: int | None
    person_name: str | None
    post: str
    unit_id: int | None
    target_unit_id: int | None
    target_unit_name: str | None
    target_place_id: int | None
    target_place_name: str | None
    target_text: str

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.person.name if obj.person_id else None

    @staticmethod
    def resolve_target_unit_name(obj) -> str | None:
        return obj.target_unit.name if obj.target_unit_id else None

    @staticmethod
    def resolve_target_place_name(obj, context) -> str | None:
        if not obj.target_place_id:
            return None
        return _masker(context["request"]).values(obj.target_place)["name"]


@router.get("/contact-assignments", response=list[AssignmentOut])
def assignment_list(request, campaign_id: int, kind: ContactAssignment.Kind | None = None):
    campaign = _campaign(request, campaign_id)
    return list(selectors.contact_assignments(campaign, request.user, kind=kind or ""))


# --- quotas --------------------------------------------------------------------------------


class QuotaOut(Schema):
    id: int
    campaign_id: int
    activity: Quota.Activity
    comparator: Quota.Comparator
    number: Decimal
    subject: Quota.Subject
    period: Quota.Period
    text: str


@router.get("/quotas", response=list[QuotaOut])
def quota_list(request, campaign_id: int):
    return list(_campaign(request, campaign_id).quotas.order_by("activity", "id"))


class WindowOut(Schema):
    key: str
    label: str
    start: datetime.date
    end: datetime.date


class SubjectOut(Schema):
    id: int
    name: str
    code: str
    unit_id: int
    unit_name: str
    value: Decimal
    met: bool


class UnitAttainmentOut(Schema):
    id: int
    name: str
    depth: int
    subjects: int
    met: int
    behind: int
    total: Decimal
    rate: float


class AttainmentOut(Schema):
    quota: QuotaOut
    window: WindowOut
    windows: list[WindowOut]
    met: int
    counted: int
    rate: float
    units: list[UnitAttainmentOut]
    subjects: list[SubjectOut]


@router.get("/quotas/{int:quota_id}/attainment", response=AttainmentOut)
def quota_attainment(
    request,
    quota_id: int,
    window: str | None = None,
    unit_id: int | None = None,
    behind: bool = False,
):
    """Who meets the quota in a period window (the current one unless `window` names its
    start date), units rolled up the tree; `behind=true` lists only those behind."""
    user = request.user
    quota = _first_or_404(
        Quota.objects.select_related("campaign__unit").filter(
            pk=quota_id, campaign__in=access.campaigns_for_user(user)
        )
    )
    under = access.get_unit_for_user(user, unit_id) if unit_id else None
    result = quotas.quota_attainment(quota, user=user, window_key=window, under=under)
    return {
        "quota": quota,
        "window": result.window,
        "windows": result.windows,
        "met": result.met,
        "counted": len(result.rows),
        "rate": result.rate,
        "units": result.units,
        "subjects": result.behind if behind else result.rows,
    }


# --- the study log -------------------------------------------------------------------------


class StudyOut(Schema):
    id: int
    person_id: int
    campaign_id: int | None
    date: datetime.date
    hours: Decimal
    kind: StudyRecord.Kind
    topic: str


class StudyIn(Schema):
    person_id: int | None = None
    campaign_id: int | None = None
    date: datetime.date
    hours: Decimal
    kind: StudyRecord.Kind
    topic: str


@router.get("/study-records", response=list[StudyOut])
@paginate(PageNumberPagination)
def study_list(request):
    """The caller's own study records, newest first."""
    person = getattr(request.user, "person", None) if hasattr(request.user, "person") else None
    if person is None:
        return StudyRecord.objects.none()
    return StudyRecord.objects.filter(person=person).order_by("-date", "-id")


@router.post("/study-records", response={201: StudyOut})
def study_create(request, payload: StudyIn):
    """Log study hours: one's own (person_id left out) or, for a unit's coordinator, a
    colleague's."""
    user = request.user
    if payload.person_id is None:
        person = getattr(user, "person", None) if hasattr(user, "person") else None
        if person is None:
            raise ValidationError({"person_id": [_("Your account belongs to no person.")]})
    else:
        person = resolve_ref(access.get_person_for_user, user, payload.person_id, field="person_id")
    campaign = resolve_ref(
        access.get_campaign_for_user, user, payload.campaign_id, field="campaign_id"
    )
    record = services.study_record_add(
        actor=user,
        person=person,
        campaign=campaign,
        date=payload.date,
        hours=payload.hours,
        kind=payload.kind,
        topic=payload.topic,
    )
    return Status(201, record)
