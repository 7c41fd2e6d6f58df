"""Problems and rectification: /api/problems/.

The same access rules and services as the pages: a problem outside the caller's scope is a 404
like a missing one; seeing without the right to act is a 403; a refused step is a 422 naming
the field. Every step of the loop is one POST; the files of progress, claim and closing go as
multipart. Problems are never deleted, so there is no DELETE.
"""

import datetime

from django.http import Http404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from ducha.api.refs import resolve_ref
from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.problems import selectors, services
from ducha.problems.models import Category, Commitment, Problem

router = Router(tags=["problems"])


# --- output --------------------------------------------------------------------------------


class RectificationOut(Schema):
    measures: str
    target: str
    deadline: datetime.date
    first_deadline: datetime.date
    responsible_person_id: int
    responsible_leader_id: int | None
    warn_days: int
    is_long_term: bool
    plan: str
    claimed_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ProblemOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    light: str | None
    source: str
    category_id: int
    category_name: str
    unit_id: int
    unit_name: str
    found_unit_id: int
    campaign_id: int | None
    severity: str
    is_physical: bool
    place_id: int | None
    visit_id: int | None
    escalated_to_id: int | None
    escalated_body: str
    deadline: datetime.date | None
    disclosed: bool
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_light(obj) -> str | None:
        rectification = _rectification(obj)
        if rectification is None or obj.status not in (
            Problem.Status.RECTIFYING,
            Problem.Status.CLAIMED,
        ):
            return None
        return rectification.light(selectors.today())

    @staticmethod
    def resolve_deadline(obj) -> datetime.date | None:
        rectification = _rectification(obj)
        return rectification.deadline if rectification else None


def _rectification(problem):
    try:
        return problem.rectification
    except Problem.rectification.RelatedObjectDoesNotExist:
        return None


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str | None
    from_unit_id: int | None
    to_unit_id: int | None
    to_body: str
    note: str
    public: bool

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor else None


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: datetime.date
    done_at: datetime.datetime | None


class ExtensionOut(Schema):
    id: int
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    status: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str


class ProblemDetailOut(ProblemOut):
    description: str
    solution: str
    invalid_reason: str
    public_title: str
    public_text: str
    reporter: str | None
    rectification: RectificationOut | None
    milestones: list[MilestoneOut]
    extensions: list[ExtensionOut]
    events: list[EventOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_reporter(obj) -> str | None:
        return obj.reporter.username if obj.reporter else None

    @staticmethod
    def resolve_rectification(obj):
        return obj.detail["rectification"]

    @staticmethod
    def resolve_milestones(obj) -> list:
        return obj.detail["milestones"]

    @staticmethod
    def resolve_extensions(obj) -> list:
        return obj.detail["extensions"]

    @staticmethod
    def resolve_events(obj) -> list:
        return obj.detail["events"]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return obj.detail["files"]


def _detail(user, problem_id: int) -> Problem:
    """The problem as the caller may see it, with what the detail schema reads."""
    problem = access.get_problem_for_user(user, problem_id)
    problem.detail = selectors.problem_detail(problem)
    return problem


# --- problems ------------------------------------------------------------------------------


class ProblemFilters(Schema):
    status: str = ""
    light: str = ""
    unit: int | None = None
    category: int | None = None
    campaign: int | None = None
    source: str = ""
    q: str = ""


@router.get("", response=list[ProblemOut])
@paginate(PageNumberPagination)
def problem_list(request, filters: Query[ProblemFilters]):
    """Problems in the caller's scope; `status=open` for all open ones, `light=red` for the
    overdue rectifications (green, yellow, red: the three-colour state)."""
    user = request.user
    return selectors.problem_list(
        user,
        status=filters.status,
        light=filters.light,
        unit=access.get_unit_for_user(user, filters.unit) if filters.unit else None,
        category=resolve_ref(_category, user, filters.category, field="category"),
        campaign=access.get_campaign_for_user(user, filters.campaign) if filters.campaign else None,
        source=filters.source,
        q=filters.q.strip(),
    )


def _category(user, pk) -> Category:
    """A category the caller may use, or 404 like any record out of sight."""
    try:
        return access.problem_categories_for_user(user).get(pk=int(pk))
    except (TypeError, ValueError, Category.DoesNotExist):
        raise Http404 from None


class ProblemIn(Schema):
    unit_id: int
    category_id: int
    title: str
    source: Problem.Source = Problem.Source.OTHER
    description: str = ""
    severity: Problem.Severity = Problem.Severity.MINOR
    campaign_id: int | None = None
    is_physical: bool = False
    place_id: int | None = None
    visit_id: int | None = None


@router.post("", response={201: ProblemDetailOut})
def problem_report(request, payload: ProblemIn):
    """Report a problem; with `visit_id`, one found on that visit (source and campaign follow)."""
    user = request.user
    problem = services.problem_report(
        actor=user,
        unit=resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id"),
        category=resolve_ref(_category, user, payload.category_id, field="category_id"),
        title=payload.title,
        source=payload.source,
        description=payload.description,
        severity=payload.severity,
        campaign=resolve_ref(
            access.get_campaign_for_user, user, payload.campaign_id, field="campaign_id"
        ),
        is_physical=payload.is_physical,
        place=resolve_ref(access.get_place_for_user, user, payload.place_id, field="place_id"),
        visit=resolve_ref(access.get_visit_for_user, user, payload.visit_id, field="visit_id"),
    )
    return Status(201, _detail(user, problem.pk))


@router.get("/{int:problem_id}", response=ProblemDetailOut)
def problem_get(request, problem_id: int):
    """The problem with its rectification, milestones, extensions, history and evidence."""
    return _detail(request.user, problem_id)


class SolveIn(Schema):
    solution: str


@router.post("/{int:problem_id}/solve", response=ProblemDetailOut)
def problem_solve(request, problem_id: int, payload: SolveIn):
    problem = access.get_problem_for_user(request.user, problem_id)
    services.problem_solve_on_spot(actor=request.user, problem=problem, solution=payload.solution)
    return _detail(request.user, problem_id)


class AttachIn(Schema):
    note: str = ""


@router.post("/{int:problem_id}/attachments", response={201: ProblemDetailOut})
def problem_attach(
    request,
    problem_id: int,
    payload: Form[AttachIn],
    files: File[list[UploadedFile]] = None,
    before_photo: File[UploadedFile] = None,
):
    """Add files, or the photo of how it was (`before_photo`), to an open problem."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.problem_attach(
        actor=request.user,
        problem=problem,
        note=payload.note,
        files=files or [],
        before_photo=before_photo,
    )
    return Status(201, _detail(request.user, problem_id))


class AssignIn(Schema):
    unit_id: int
    note: str = ""


@router.post("/{int:problem_id}/assign", response=ProblemDetailOut)
def problem_assign(request, problem_id: int, payload: AssignIn):
    user = request.user
    problem = access.get_problem_for_user(user, problem_id)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    services.problem_assign(actor=user, problem=problem, unit=unit, note=payload.note)
    return _detail(user, problem_id)


class EscalateIn(Schema):
    to_unit_id: int | None = None
    to_body: str = ""
    reason: str


def _escalation_target(user, problem: Problem, unit_id):
    """A unit up the chain of the problem, or one the caller can see (which the service then
    refuses if it is not up the chain); any other id is unknown."""
    above = selectors.escalation_targets(problem).filter(pk=unit_id).first()
    return above or access.get_unit_for_user(user, unit_id)


@router.post("/{int:problem_id}/escalate", response=ProblemDetailOut)
def problem_escalate(request, problem_id: int, payload: EscalateIn):
    """Escalate to a unit up the chain (`to_unit_id`) or to an outside body (`to_body`)."""
    user = request.user
    problem = access.get_problem_for_user(user, problem_id)
    to_unit = None
    if payload.to_unit_id is not None:
        to_unit = resolve_ref(
            lambda u, pk: _escalation_target(u, problem, pk),
            user,
            payload.to_unit_id,
            field="to_unit",
        )
    services.problem_escalate(
        actor=user, problem=problem, to_unit=to_unit, to_body=payload.to_body, reason=payload.reason
    )
    return _detail(user, problem_id)


class ReasonIn(Schema):
    reason: str


@router.post("/{int:problem_id}/invalidate", response=ProblemDetailOut)
def problem_invalidate(request, problem_id: int, payload: ReasonIn):
    """Close a wrong problem as invalid (it is never deleted)."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.problem_invalidate(actor=request.user, problem=problem, reason=payload.reason)
    return _detail(request.user, problem_id)


class DiscloseIn(Schema):
    public_title: str
    public_text: str = ""


@router.post("/{int:problem_id}/disclose", response=ProblemDetailOut)
def problem_disclose(request, problem_id: int, payload: DiscloseIn):
    """Show the problem on the unit's public page under the given wording."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.problem_disclose(actor=request.user, problem=problem, **payload.model_dump())
    return _detail(request.user, problem_id)


@router.post("/{int:problem_id}/withdraw", response=ProblemDetailOut)
def problem_withdraw(request, problem_id: int, payload: ReasonIn):
    problem = access.get_problem_for_user(request.user, problem_id)
    services.problem_withdraw(actor=request.user, problem=problem, reason=payload.reason)
    return _detail(request.user, problem_id)


# --- rectification -------------------------------------------------------------------------


class MilestoneIn(Schema):
    title: str
    due_date: datetime.date


class RectificationIn(Schema):
    measures: str
    target: str
    deadline: datetime.date
    responsible_person_id: int
    responsible_leader_id: int | None = None
    warn_days: int | None = None
    is_long_term: bool = False
    plan: str = ""
    milestones: list[MilestoneIn] = []


@router.post("/{int:problem_id}/rectification", response={201: ProblemDetailOut})
def rectification_set(request, problem_id: int, payload: RectificationIn):
    """Task book, timetable, responsible person of an assigned problem."""
    user = request.user
    problem = access.get_problem_for_user(user, problem_id)
    data = payload.model_dump()
    person = resolve_ref(
        access.get_person_for_user,
        user,
        data.pop("responsible_person_id"),
        field="responsible_person_id",
    )
    leader = resolve_ref(
        access.get_person_for_user,
        user,
        data.pop("responsible_leader_id"),
        field="responsible_leader_id",
    )
    data["milestones"] = [(m["title"], m["due_date"]) for m in data["milestones"]]
    services.rectification_set(
        actor=user, problem=problem, responsible_person=person, responsible_leader=leader, **data
    )
    return Status(201, _detail(user, problem_id))


class NoteIn(Schema):
    note: str
    public: bool = False


@router.post("/{int:problem_id}/progress", response={201: ProblemDetailOut})
def rectification_progress(
    request, problem_id: int, payload: Form[NoteIn], files: File[list[UploadedFile]] = None
):
    """A progress update (multipart: `note`, `public` and any `files` as evidence)."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.rectification_progress(
        actor=request.user,
        problem=problem,
        note=payload.note,
        public=payload.public,
        files=files or [],
    )
    return Status(201, _detail(request.user, problem_id))


class ClaimIn(Schema):
    note: str


@router.post("/{int:problem_id}/claim", response=ProblemDetailOut)
def rectification_claim(
    request, problem_id: int, payload: Form[ClaimIn], files: File[list[UploadedFile]] = None
):
    """The unit reports the rectification done (multipart: `note`, `files`)."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.rectification_claim(
        actor=request.user, problem=problem, note=payload.note, files=files or []
    )
    return _detail(request.user, problem_id)


class CloseIn(Schema):
    note: str = ""


@router.post("/{int:problem_id}/close", response=ProblemDetailOut)
def rectification_close(
    request,
    problem_id: int,
    payload: Form[CloseIn],
    files: File[list[UploadedFile]] = None,
    before_photo: File[UploadedFile] = None,
    after_photo: File[UploadedFile] = None,
):
    """The level above verifies and closes (销号). Closing needs evidence; for a place or a
    thing, `before_photo` and `after_photo`."""
    problem = access.get_problem_for_user(request.user, problem_id)
    services.rectification_close(
        actor=request.user,
        problem=problem,
        note=payload.note,
        files=files or [],
        before_photo=before_photo,
        after_photo=after_photo,
    )
    return _detail(request.user, problem_id)


@router.post("/{int:problem_id}/send-back", response=ProblemDetailOut)
def rectification_send_back(request, problem_id: int, payload: ReasonIn):
    problem = access.get_problem_for_user(request.user, problem_id)
    services.rectification_send_back(actor=request.user, problem=problem, reason=payload.reason)
    return _detail(request.user, problem_id)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str


@router.post("/{int:problem_id}/extensions", response={201: ExtensionOut})
def extension_request(request, problem_id: int, payload: ExtensionIn):
    """Ask, before the deadline passes, for a later one."""
    problem = access.get_problem_for_user(request.user, problem_id)
    return Status(
        201, services.extension_request(actor=request.user, problem=problem, **payload.model_dump())
    )


class DecideIn(Schema):
    grant: bool
    note: str = ""


@router.post("/extensions/{int:extension_id}/decide", response=ExtensionOut)
def extension_decide(request, extension_id: int, payload: DecideIn):
    """The level above grants or refuses an extension request."""
    extension = selectors.extension_get(request.user, extension_id)
    return services.extension_decide(
        actor=request.user, extension=extension, grant=payload.grant, note=payload.note
    )


@router.post("/milestones/{int:milestone_id}/done", response=MilestoneOut)
def milestone_done(request, milestone_id: int):
    milestone = selectors.milestone_get(request.user, milestone_id)
    return services.milestone_done(actor=request.user, milestone=milestone)


@router.get("/files/{int:evidence_id}", response={200: None})
def evidence_download(request, evidence_id: int):
    record = selectors.evidence_get(request.user, evidence_id)
    return stored_file_response(
        record.file, filename=record.original_name, content_type=record.content_type
    )


# --- dashboard -----------------------------------------------------------------------------


class CountsOut(Schema):
    found: int
    on_spot: int
    in_progress: int
    overdue: int
    closed: int
    invalid: int


class BoardRowOut(Schema):
    unit_id: int | None
    label: str
    own: bool
    counts: CountsOut

    @staticmethod
    def resolve_unit_id(obj) -> int | None:
        return obj.unit.pk if obj.unit and not obj.own else None


class DashboardOut(Schema):
    units: list[BoardRowOut]
    categories: list[BoardRowOut]
    total: CountsOut
    oldest: list[ProblemOut]


class DashboardFilters(Schema):
    unit: int | None = None
    campaign: int | None = None


@router.get("/dashboard", response=DashboardOut)
def dashboard(request, filters: Query[DashboardFilters]):
    """Found / on the spot / in progress / overdue / closed for each unit under `unit` (each
    counting its whole subtree) and each category, with the oldest open problems."""
    user = request.user
    return selectors.problem_dashboard(
        user,
        root=access.get_unit_for_user(user, filters.unit) if filters.unit else None,
        campaign=access.get_campaign_for_user(user, filters.campaign) if filters.campaign else None,
    )


# --- categories ----------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    builtin: bool
    unit_id: int | None


class CategoryIn(Schema):
    unit_id: int
    name: str


@router.get("/categories", response=list[CategoryOut])
def category_list(request):
    return list(access.problem_categories_for_user(request.user))


@router.post("/categories", response={201: CategoryOut})
def category_create(request, payload: CategoryIn):
    user = request.user
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    return Status(201, services.category_create(actor=user, unit=unit, name=payload.name))


# --- commitments ---------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    kind: str
    unit_id: int
    person_id: int | None
    problem_id: int | None
    campaign_id: int | None
    text: str
    target: str
    responsibility: str
    due_date: datetime.date | None
    is_public: bool
    status: str
    verified_at: datetime.datetime | None
    verification_note: str


class CommitmentIn(Schema):
    kind: Commitment.Kind
    unit_id: int
    text: str
    person_id: int | None = None
    problem_id: int | None = None
    campaign_id: int | None = None
    target: str = ""
    responsibility: str = ""
    due_date: datetime.date | None = None
    is_public: bool = True


class CommitmentFilters(Schema):
    unit: int | None = None
    person: int | None = None
    kind: str = ""


@router.get("/commitments", response=list[CommitmentOut])
@paginate(PageNumberPagination)
def commitment_list(request, filters: Query[CommitmentFilters]):
    user = request.user
    return selectors.commitment_list(
        user,
        unit=access.get_unit_for_user(user, filters.unit) if filters.unit else None,
        person=access.get_person_for_user(user, filters.person) if filters.person else None,
        kind=filters.kind,
    )


@router.post("/commitments", response={201: CommitmentOut})
def commitment_create(request, payload: CommitmentIn):
    user = request.user
    return Status(
        201,
        services.commitment_create(
            actor=user,
            kind=payload.kind,
            unit=resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id"),
            person=resolve_ref(
                access.get_person_for_user, user, payload.person_id, field="person_id"
            ),
            problem=resolve_ref(
                access.get_problem_for_user, user, payload.problem_id, field="problem_id"
            ),
            campaign=resolve_ref(
                access.get_campaign_for_user, user, payload.campaign_id, field="campaign_id"
            ),
            text=payload.text,
            target=payload.target,
            responsibility=payload.responsibility,
            due_date=payload.due_date,
            is_public=payload.is_public,
        ),
    )


class VerifyIn(Schema):
    kept: bool
    note: str = ""


@router.post("/commitments/{int:commitment_id}/verify", response=CommitmentOut)
def commitment_verify(request, commitment_id: int, payload: VerifyIn):
    """The level above records the commitment kept or broken."""
    commitment = access.get_commitment_for_user(request.user, commitment_id)
    return services.commitment_verify(
        actor=request.user, commitment=commitment, kept=payload.kept, note=payload.note
    )


# --- opinions ------------------------------------------------------------------------------


class OpinionOut(Schema):
    id: int
    unit_id: int
    text: str
    contact: str
    status: str
    answer: str
    answered_at: datetime.datetime | None
    problem_id: int | None
    created_at: datetime.datetime


class AnswerIn(Schema):
    answer: str


class OpinionProblemIn(Schema):
    category_id: int
    title: str
    severity: Problem.Severity = Problem.Severity.MINOR
    campaign_id: int | None = None
    answer: str = ""


@router.get("/opinions", response=list[OpinionOut])
@paginate(PageNumberPagination)
def opinion_list(request, status: str = ""):
    """Opinions left in the boxes of units whose problems the caller runs."""
    return selectors.opinion_list(request.user, status=status)


@router.post("/opinions/{int:opinion_id}/answer", response=OpinionOut)
def opinion_answer(request, opinion_id: int, payload: AnswerIn):
    """Answer an opinion; the answer is published on the unit's public page."""
    opinion = access.get_opinion_for_user(request.user, opinion_id)
    return services.opinion_answer(actor=request.user, opinion=opinion, answer=payload.answer)


@router.post("/opinions/{int:opinion_id}/problem", response={201: ProblemDetailOut})
def opinion_to_problem(request, opinion_id: int, payload: OpinionProblemIn):
    """Register the opinion as a problem of its unit."""
    user = request.user
    opinion = access.get_opinion_for_user(user, opinion_id)
    problem = services.opinion_to_problem(
        actor=user,
        opinion=opinion,
        category=resolve_ref(_category, user, payload.category_id, field="category_id"),
        title=payload.title,
        severity=payload.severity,
        campaign=resolve_ref(
            access.get_campaign_for_user, user, payload.campaign_id, field="campaign_id"
        ),
        answer=payload.answer,
    )
    return Status(201, _detail(user, problem.pk))
