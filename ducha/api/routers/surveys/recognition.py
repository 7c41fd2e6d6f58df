"""Honours, nominations recommended level by level, and typical cases:
/api/surveys/honours, /api/surveys/nominations, /api/surveys/typical-cases."""

import datetime

from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.orgs import access
from ducha.surveys import selectors
from ducha.surveys.models import Honour, Nomination, TypicalCase
from ducha.surveys.services import recognition

from .surveys import campaign_ref

router = Router(tags=["commendation"])


# --- honours and nominations -----------------------------------------------------------------


class HonourOut(Schema):
    id: int
    title: str
    subject_kind: str
    unit_id: int
    campaign_id: int | None
    year: int
    description: str
    is_open: bool


class HonourIn(Schema):
    unit_id: int
    title: str
    subject_kind: Honour.SubjectKind
    year: int
    description: str = ""
    campaign_id: int | None = None


@router.get("/honours", response=list[HonourOut])
@paginate(PageNumberPagination)
def honour_list(request):
    """Honours awarded in the caller's scope or above it."""
    return selectors.honour_list(request.user)


@router.post("/honours", response={201: HonourOut})
def honour_create(request, payload: HonourIn):
    user = request.user
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    honour = recognition.honour_create(
        actor=user,
        unit=unit,
        campaign=campaign_ref(user, payload.campaign_id),
        **payload.model_dump(exclude={"unit_id", "campaign_id"}),
    )
    return Status(201, honour)


@router.get("/honours/{int:honour_id}", response=HonourOut)
def honour_get(request, honour_id: int):
    return access.get_honour_for_user(request.user, honour_id)


class StepOut(Schema):
    unit_id: int
    decision: str
    note: str
    at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int
    sha256: str


class NominationOut(Schema):
    id: int
    honour_id: int
    person_id: int | None
    unit_id: int
    subject_name: str
    from_unit_id: int
    at_unit_id: int
    status: str
    reasons: str
    decided_at: datetime.datetime | None
    steps: list[StepOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


@router.get("/honours/{int:honour_id}/nominations", response=list[NominationOut])
@paginate(PageNumberPagination)
def nomination_list(request, honour_id: int, status: Nomination.Status | None = None):
    """Nominations for the honour of someone in the caller's scope, or awaiting a level in it."""
    honour = access.get_honour_for_user(request.user, honour_id)
    return selectors.nomination_list(
        request.user, honour=honour, status=status or ""
    ).prefetch_related("steps", "evidence")


class NominationIn(Schema):
    from_unit_id: int
    person_id: int | None = None
    unit_id: int | None = None
    reasons: str


@router.post("/honours/{int:honour_id}/nominations", response={201: NominationOut})
def nomination_create(request, honour_id: int, payload: NominationIn):
    """`from_unit_id` nominates a person (`person_id`) or a unit (`unit_id`) of its own; a
    person or unit outside the caller's scope is an invalid field (422). Evidence files go
    to /nominations/{id}/evidence."""
    user = request.user
    honour = access.get_honour_for_user(user, honour_id)
    nomination = recognition.nomination_create(
        actor=user,
        honour=honour,
        from_unit=resolve_ref(
            access.get_unit_for_user, user, payload.from_unit_id, field="from_unit_id"
        ),
        person=resolve_ref(access.get_person_for_user, user, payload.person_id, field="person"),
        unit=resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit"),
        reasons=payload.reasons,
    )
    return Status(201, nomination)


@router.get("/nominations/{int:nomination_id}", response=NominationOut)
def nomination_get(request, nomination_id: int):
    return access.get_nomination_for_user(request.user, nomination_id)


class DecisionIn(Schema):
    decision: str  # recommend, approve or decline
    note: str = ""


@router.post("/nominations/{int:nomination_id}/decision", response=NominationOut)
def nomination_decide(request, nomination_id: int, payload: DecisionIn):
    """The level holding the nomination recommends it upward or declines it (with a note);
    the awarding unit approves or declines."""
    nomination = access.get_nomination_for_user(request.user, nomination_id)
    return recognition.nomination_decide(
        actor=request.user, nomination=nomination, decision=payload.decision, note=payload.note
    )


@router.post("/nominations/{int:nomination_id}/evidence", response={201: list[EvidenceOut]})
def evidence_create(request, nomination_id: int, files: File[list[UploadedFile]]):
    """Evidence files (multipart `files`: Word, Excel, PDF, JPEG or PNG, checked by content)."""
    nomination = access.get_nomination_for_user(request.user, nomination_id)
    added = recognition.nomination_add_evidence(
        actor=request.user, nomination=nomination, files=files
    )
    return Status(201, added)


# --- typical cases ---------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    unit_id: int
    campaign_id: int | None
    title: str
    summary: str
    body: str
    status: str
    review_note: str
    published_at: datetime.datetime | None


class CaseIn(Schema):
    unit_id: int
    title: str
    body: str
    summary: str = ""
    campaign_id: int | None = None


@router.get("/typical-cases", response=list[CaseOut])
@paginate(PageNumberPagination)
def case_list(request, status: TypicalCase.Status | None = None):
    return selectors.typical_case_list(request.user, status=status or "")


@router.post("/typical-cases", response={201: CaseOut})
def case_create(request, payload: CaseIn):
    user = request.user
    case = recognition.typical_case_submit(
        actor=user,
        unit=resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id"),
        campaign=campaign_ref(user, payload.campaign_id),
        **payload.model_dump(exclude={"unit_id", "campaign_id"}),
    )
    return Status(201, case)


@router.get("/typical-cases/{int:case_id}", response=CaseOut)
def case_get(request, case_id: int):
    return access.get_typical_case_for_user(request.user, case_id)


class CasePatch(Schema):
    title: str
    summary: str
    body: str


@router.patch("/typical-cases/{int:case_id}", response=CaseOut)
def case_update(request, case_id: int, payload: PatchDict[CasePatch]):
    """Rewrite a case not yet published; it goes back for review."""
    case = access.get_typical_case_for_user(request.user, case_id)
    return recognition.typical_case_update(actor=request.user, case=case, **payload)


class ReviewIn(Schema):
    publish: bool
    note: str = ""


@router.post("/typical-cases/{int:case_id}/review", response=CaseOut)
def case_review(request, case_id: int, payload: ReviewIn):
    """Publish the case on the public pages, or return it with a note."""
    case = access.get_typical_case_for_user(request.user, case_id)
    return recognition.typical_case_review(actor=request.user, case=case, **payload.model_dump())
