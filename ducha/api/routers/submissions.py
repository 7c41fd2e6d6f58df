"""Required submissions, submitting, review and return: /api/submissions/.

The same access rules and services as the pages: a campaign or submission outside the
caller's scope is a 404 like a missing one; seeing without the right to act is a 403.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.submissions import selectors, services
from ducha.submissions.models import Requirement, Submission

router = Router(tags=["submissions"])


# --- requirements --------------------------------------------------------------------------


class RequirementOut(Schema):
    id: int
    campaign_id: int
    kind: str
    kind_label: str
    title: str
    description: str
    due_date: datetime.date
    due_text: str
    recurrence: str
    repeat_until: datetime.date | None
    receiver: str
    unit_ids: list[int]
    remind_days_before: int
    escalate_days_after: int
    parent_id: int | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return [u.pk for u in obj.units.all()]


class RequirementIn(Schema):
    kind: Requirement.Kind
    title: str
    description: str = ""
    due_date: datetime.date
    due_text: str = ""
    recurrence: Requirement.Recurrence = Requirement.Recurrence.ONCE
    repeat_until: datetime.date | None = None
    receiver: str = ""
    unit_ids: list[int] = []
    remind_days_before: int = 3
    escalate_days_after: int = 3
    parent_id: int | None = None


class RequirementPatch(Schema):
    kind: Requirement.Kind
    title: str
    description: str
    due_date: datetime.date
    due_text: str
    recurrence: Requirement.Recurrence
    # Nullable fields need a default, or PatchDict would require them.
    repeat_until: datetime.date | None = None
    receiver: str
    unit_ids: list[int]
    remind_days_before: int
    escalate_days_after: int
    parent_id: int | None = None


def _requirement_fields(request, data: dict) -> dict:
    """Ids in the body become rows, looked up so that a stranger's id is a field error."""
    fields = dict(data)
    if "unit_ids" in fields:
        ids = set(fields.pop("unit_ids"))
        units = list(access.units_for_user(request.user).filter(pk__in=ids))
        if len(units) != len(ids):
            raise ValidationError({"unit_ids": [_("No such record in your scope.")]})
        fields["units"] = units
    if "parent_id" in fields:
        parent_id = fields.pop("parent_id")
        fields["parent"] = (
            resolve_ref(selectors.requirement_get_any, request.user, parent_id, field="parent_id")
            if parent_id is not None
            else None
        )
    return fields


@router.get("/campaigns/{int:campaign_id}/requirements", response=list[RequirementOut])
def requirement_list(request, campaign_id: int):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return list(selectors.requirement_list(campaign))


@router.post("/campaigns/{int:campaign_id}/requirements", response={201: RequirementOut})
def requirement_create(request, campaign_id: int, payload: RequirementIn):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    fields = _requirement_fields(request, payload.model_dump())
    return services.requirement_create(actor=request.user, campaign=campaign, **fields)


@router.get("/requirements/{int:requirement_id}", response=RequirementOut)
def requirement_get(request, requirement_id: int):
    return selectors.requirement_get_any(request.user, requirement_id)


@router.patch("/requirements/{int:requirement_id}", response=RequirementOut)
def requirement_update(request, requirement_id: int, payload: PatchDict[RequirementPatch]):
    requirement = selectors.requirement_get_any(request.user, requirement_id)
    fields = _requirement_fields(request, payload)
    return services.requirement_update(actor=request.user, requirement=requirement, **fields)


@router.delete("/requirements/{int:requirement_id}", response={204: None})
def requirement_delete(request, requirement_id: int):
    requirement = selectors.requirement_get_any(request.user, requirement_id)
    services.requirement_delete(actor=request.user, requirement=requirement)


# --- submissions ---------------------------------------------------------------------------


class FileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class VersionOut(Schema):
    number: int
    note: str
    submitted_at: datetime.datetime
    submitted_by: str | None
    files: list[FileOut]

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.files.all())


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str | None
    reason: str

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor else None


class SubmissionSummaryOut(Schema):
    id: int
    requirement_id: int
    requirement_title: str
    unit_id: int
    unit_name: str
    due_date: datetime.date
    due_at: datetime.datetime
    status: str
    on_time: bool
    first_submitted_at: datetime.datetime
    last_submitted_at: datetime.datetime
    counted_at: datetime.datetime

    @staticmethod
    def resolve_requirement_title(obj) -> str:
        return obj.requirement.title

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class SubmissionOut(SubmissionSummaryOut):
    return_reason: str
    returned_at: datetime.datetime | None
    correction_due: datetime.date | None
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None
    versions: list[VersionOut]
    events: list[EventOut]

    @staticmethod
    def resolve_reviewed_by(obj) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by else None

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class SubmitIn(Schema):
    unit_id: int
    client_token: str
    note: str = ""
    due_date: datetime.date | None = None


@router.post("/requirements/{int:requirement_id}/submit", response={201: SubmissionOut})
def submission_submit(
    request,
    requirement_id: int,
    payload: Form[SubmitIn],
    files: File[list[UploadedFile]] = None,
):
    """Hand in the unit's report (multipart: the fields and one or more `files`). Sending the
    same client_token again returns the submission it made instead of a second one."""
    requirement = selectors.requirement_get_any(request.user, requirement_id)
    unit = resolve_ref(access.get_unit_for_user, request.user, payload.unit_id, field="unit_id")
    version = services.submission_submit(
        actor=request.user,
        requirement=requirement,
        unit=unit,
        files=files or [],
        note=payload.note,
        client_token=payload.client_token,
        due_date=payload.due_date,
    )
    return selectors.submission_get(request.user, version.submission_id)


@router.get("/{int:submission_id}", response=SubmissionOut)
def submission_get(request, submission_id: int):
    return selectors.submission_get(request.user, submission_id)


@router.post("/{int:submission_id}/accept", response=SubmissionOut)
def submission_accept(request, submission_id: int):
    submission = selectors.submission_get(request.user, submission_id)
    services.submission_accept(actor=request.user, submission=submission)
    return selectors.submission_get(request.user, submission_id)


class ReturnIn(Schema):
    reason: str
    correction_days: int


@router.post("/{int:submission_id}/return", response=SubmissionOut)
def submission_return(request, submission_id: int, payload: ReturnIn):
    """Send the submission back with a reason and the days the unit has to correct it."""
    submission = selectors.submission_get(request.user, submission_id)
    services.submission_return(
        actor=request.user,
        submission=submission,
        reason=payload.reason,
        correction_days=payload.correction_days,
    )
    return selectors.submission_get(request.user, submission_id)


@router.get("/files/{int:file_id}", response={200: None})
def file_download(request, file_id: int):
    """The file's bytes, under its original name."""
    record = selectors.submission_file_get(request.user, file_id)
    return stored_file_response(
        record.file, filename=record.original_name, content_type=record.content_type
    )


# --- lists ---------------------------------------------------------------------------------


class TodoOut(Schema):
    requirement_id: int
    requirement_title: str
    unit_id: int
    unit_name: str
    due_date: datetime.date
    due_at: datetime.datetime
    status: str
    submission_id: int | None
    may_send: bool

    @staticmethod
    def resolve_requirement_id(obj) -> int:
        return obj.requirement.pk

    @staticmethod
    def resolve_requirement_title(obj) -> str:
        return obj.requirement.title

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.unit.pk

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_submission_id(obj) -> int | None:
        return obj.submission.pk if obj.submission else None


@router.get("/campaigns/{int:campaign_id}/todo", response=list[TodoOut])
def todo(request, campaign_id: int):
    """What the caller's submitting units owe the campaign so far, with each one's status."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return selectors.todo_for_unit(request.user, campaign)


class ReviewFilters(Schema):
    status: Submission.Status | None = None


@router.get("/campaigns/{int:campaign_id}/review", response=list[SubmissionSummaryOut])
@paginate(PageNumberPagination)
def review_queue(request, campaign_id: int, filters: Query[ReviewFilters]):
    """The campaign's submissions for its reviewers, oldest first."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return selectors.review_queue(request.user, campaign, status=filters.status)
