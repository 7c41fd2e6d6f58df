"""Campaigns, their phases, key tasks, leadership group, scope, attachments and cascade:
/api/campaigns."""

import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.campaigns import selectors, services
from ducha.campaigns.models import Campaign, LeadershipMember
from ducha.core.downloads import stored_file_response
from ducha.orgs import access

router = Router(tags=["campaigns"])


# --- schemas -------------------------------------------------------------------------------


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    start_text: str
    end_text: str
    tasks: str
    inherited_from_id: int | None
    state: str  # past, current or future today (China Standard Time)

    @staticmethod
    def resolve_state(obj) -> str:
        return selectors.phase_state(obj)


class KeyTaskOut(Schema):
    id: int
    number: int
    title: str
    text: str


class MemberOut(Schema):
    role: str
    role_label: str
    name: str
    post: str
    person_id: int | None

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class AttachmentOut(Schema):
    id: int
    original_name: str
    size: int
    created_at: datetime.datetime


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    doc_number: str
    issuer: str
    issue_date: datetime.date | None
    unit_id: int
    unit_name: str
    parent_id: int | None
    status: str
    status_label: str
    scope_mode: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    participant_count: int
    phase_count: int
    child_count: int
    current_phase_name: str | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class CampaignDetailOut(CampaignOut):
    objectives: str
    discipline_rules: str
    visit_group_max: int
    activated_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    status_display: str
    current_phase: PhaseOut | None
    phases: list[PhaseOut]
    key_tasks: list[KeyTaskOut]
    leadership: list[MemberOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_phases(obj) -> list:
        return obj.phases_list

    @staticmethod
    def resolve_key_tasks(obj) -> list:
        return list(obj.key_tasks.all())

    @staticmethod
    def resolve_leadership(obj) -> list:
        return list(obj.leadership.all())

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class ChildOut(CampaignOut):
    depth: int
    descendants: int


def _annotated(campaign: Campaign) -> Campaign:
    return (
        selectors.with_progress(Campaign.objects.filter(pk=campaign.pk))
        .select_related("unit")
        .get()
    )


def _detail(campaign: Campaign) -> Campaign:
    """The campaign with its counts and everything CampaignDetailOut lists."""
    row = _annotated(campaign)
    on = selectors.today()
    row.phases_list = selectors.phases_of(row)
    row.current_phase = selectors.current_phase(row, on, row.phases_list)
    row.status_display = selectors.status_display(row, on, row.phases_list)
    return row


# --- campaigns -----------------------------------------------------------------------------


class CampaignFilters(Schema):
    q: str = ""
    status: Campaign.Status | None = None


@router.get("", response=list[CampaignOut])
@paginate(PageNumberPagination)
def campaign_list(request, filters: Query[CampaignFilters]):
    """Campaigns the caller sees: issued in their scope, or with a unit of theirs taking part."""
    return selectors.campaign_list(request.user, status=filters.status or "", q=filters.q.strip())


@router.get("/{int:campaign_id}", response=CampaignDetailOut)
def campaign_get(request, campaign_id: int):
    return _detail(access.get_campaign_for_user(request.user, campaign_id))


class CampaignIn(Schema):
    unit_id: int
    title: str
    theme: str = ""
    doc_number: str = ""
    issuer: str = ""
    issue_date: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    objectives: str = ""
    discipline_rules: str = ""
    visit_group_max: int = 5
    scope_mode: Campaign.ScopeMode = Campaign.ScopeMode.SUBTREE
    unit_ids: list[int] = []


def _units(user, ids: list[int] | None, field: str = "unit_ids"):
    if ids is None:
        return None
    return [resolve_ref(access.get_unit_for_user, user, pk, field=field) for pk in ids]


@router.post("", response={201: CampaignDetailOut})
def campaign_create(request, payload: CampaignIn):
    """A draft campaign at `unit_id`; scope `subtree` reaches every unit below it, `list` the
    `unit_ids` given."""
    user = request.user
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    fields = payload.model_dump(exclude={"unit_id", "unit_ids"})
    campaign = services.campaign_create(
        actor=user, unit=unit, units=_units(user, payload.unit_ids), **fields
    )
    return _detail(campaign)


class CampaignUpdateIn(Schema):
    title: str
    theme: str
    doc_number: str
    issuer: str
    issue_date: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    objectives: str
    discipline_rules: str
    visit_group_max: int
    scope_mode: Campaign.ScopeMode
    unit_ids: list[int]


@router.patch("/{int:campaign_id}", response=CampaignDetailOut)
def campaign_update(request, campaign_id: int, payload: PatchDict[CampaignUpdateIn]):
    """Change the campaign's fields; `scope_mode` and `unit_ids`, if given, replace its scope."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    scope_mode = payload.pop("scope_mode", None)
    units = _units(user, payload.pop("unit_ids", None))
    with transaction.atomic():
        if payload or (scope_mode is None and units is None):
            services.campaign_update(actor=user, campaign=campaign, **payload)
        if scope_mode is not None or units is not None:
            services.campaign_set_participants(
                actor=user,
                campaign=campaign,
                scope_mode=scope_mode or campaign.scope_mode,
                units=units,
            )
    return _detail(campaign)


class StatusIn(Schema):
    status: Campaign.Status


@router.post("/{int:campaign_id}/status", response=CampaignDetailOut)
def campaign_status(request, campaign_id: int, payload: StatusIn):
    """Move the campaign on: draft → active → closed → archived, one step at a time."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    services.campaign_set_status(actor=request.user, campaign=campaign, status=payload.status)
    return _detail(campaign)


# --- cascade -------------------------------------------------------------------------------


class AdoptIn(Schema):
    unit_id: int


@router.post("/{int:campaign_id}/adopt", response={200: CampaignDetailOut, 201: CampaignDetailOut})
def campaign_adopt(request, campaign_id: int, payload: AdoptIn):
    """The participating unit `unit_id` adopts the campaign: 201 with its new campaign, or 200
    with the one it adopted before."""
    user = request.user
    parent = access.get_campaign_for_user(user, campaign_id)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    existed = selectors.adoption_of(parent, unit) is not None
    child = services.campaign_adopt(actor=user, parent=parent, unit=unit)
    return Status(200 if existed else 201, _detail(child))


@router.get("/{int:campaign_id}/children", response=list[ChildOut])
def campaign_children(request, campaign_id: int):
    """The adoption tree below the campaign, depth first, as far as the caller may see it."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    nodes = selectors.descendants_for_user(request.user, campaign)
    for node in nodes:
        node.campaign.depth, node.campaign.descendants = node.depth, node.descendants
    return [node.campaign for node in nodes]


# --- phases --------------------------------------------------------------------------------


@router.get("/{int:campaign_id}/phases", response=list[PhaseOut])
def phase_list(request, campaign_id: int):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return selectors.phases_of(campaign)


class PhaseIn(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    start_text: str = ""
    end_text: str = ""
    tasks: str = ""
    order: int | None = None


@router.post("/{int:campaign_id}/phases", response={201: PhaseOut})
def phase_create(request, campaign_id: int, payload: PhaseIn):
    """A phase; `start_text`/`end_text` keep the plan's wording beside the dates."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return services.phase_add(actor=request.user, campaign=campaign, **payload.model_dump())


class PhaseUpdateIn(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    start_text: str
    end_text: str
    tasks: str
    order: int


def _phase(request, campaign_id: int, phase_id: int):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    phase = get_object_or_404(campaign.phases.select_related("inherited_from"), pk=phase_id)
    phase.campaign = campaign
    return phase


@router.patch("/{int:campaign_id}/phases/{int:phase_id}", response=PhaseOut)
def phase_update(request, campaign_id: int, phase_id: int, payload: PatchDict[PhaseUpdateIn]):
    """Change a phase. An adopted phase may end earlier than its parent's, never later."""
    phase = _phase(request, campaign_id, phase_id)
    return services.phase_update(actor=request.user, phase=phase, **payload)


@router.delete("/{int:campaign_id}/phases/{int:phase_id}", response={204: None})
def phase_delete(request, campaign_id: int, phase_id: int):
    services.phase_delete(actor=request.user, phase=_phase(request, campaign_id, phase_id))


# --- key tasks -----------------------------------------------------------------------------


class KeyTaskIn(Schema):
    title: str
    text: str = ""
    number: int | None = None


@router.post("/{int:campaign_id}/key-tasks", response={201: KeyTaskOut})
def key_task_create(request, campaign_id: int, payload: KeyTaskIn):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    task = services.key_task_add(actor=request.user, campaign=campaign, **payload.model_dump())
    return task


class KeyTaskUpdateIn(Schema):
    number: int
    title: str
    text: str


def _key_task(request, campaign_id: int, task_id: int):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    task = get_object_or_404(campaign.key_tasks, pk=task_id)
    task.campaign = campaign
    return task


@router.patch("/{int:campaign_id}/key-tasks/{int:task_id}", response=KeyTaskOut)
def key_task_update(request, campaign_id: int, task_id: int, payload: PatchDict[KeyTaskUpdateIn]):
    task = _key_task(request, campaign_id, task_id)
    return services.key_task_update(actor=request.user, task=task, **payload)


@router.delete("/{int:campaign_id}/key-tasks/{int:task_id}", response={204: None})
def key_task_delete(request, campaign_id: int, task_id: int):
    services.key_task_delete(actor=request.user, task=_key_task(request, campaign_id, task_id))


# --- leadership group ----------------------------------------------------------------------


class MemberIn(Schema):
    role: LeadershipMember.Role
    name: str = ""
    post: str = ""
    person_id: int | None = None


@router.put("/{int:campaign_id}/leadership", response=list[MemberOut])
def leadership_set(request, campaign_id: int, payload: list[MemberIn]):
    """Replace the leadership group; a linked person (`person_id`) gives the member's name."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    members = [
        {
            "role": m.role,
            "name": m.name,
            "post": m.post,
            "person": resolve_ref(
                access.get_person_for_user, user, m.person_id, field=f"{n}.person_id"
            ),
        }
        for n, m in enumerate(payload)
    ]
    return services.leadership_set(actor=user, campaign=campaign, members=members)


# --- scope ---------------------------------------------------------------------------------


class ParticipantOut(Schema):
    unit_id: int
    unit_name: str
    unit_kind: str
    adoption_id: int | None
    adoption_status: str | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_unit_kind(obj) -> str:
        return obj.unit.kind


@router.get("/{int:campaign_id}/participants", response=list[ParticipantOut])
@paginate(PageNumberPagination)
def participant_list(request, campaign_id: int):
    """The units taking part, with the campaign each adopted, if any."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return selectors.participants_for_user(request.user, campaign)


class ScopeIn(Schema):
    scope_mode: Campaign.ScopeMode
    unit_ids: list[int] = []


@router.put("/{int:campaign_id}/participants", response=CampaignDetailOut)
def participant_set(request, campaign_id: int, payload: ScopeIn):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    services.campaign_set_participants(
        actor=user,
        campaign=campaign,
        scope_mode=payload.scope_mode,
        units=_units(user, payload.unit_ids),
    )
    return _detail(campaign)


# --- attachments ---------------------------------------------------------------------------


@router.post("/{int:campaign_id}/attachments", response={201: AttachmentOut})
def attachment_create(request, campaign_id: int, file: File[UploadedFile]):
    """Attach a file (multipart field `file`, at most 20 MB)."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return services.attachment_add(actor=request.user, campaign=campaign, file=file)


def _attachment(request, campaign_id: int, attachment_id: int):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    attachment = get_object_or_404(campaign.attachments, pk=attachment_id)
    attachment.campaign = campaign
    return attachment


@router.get("/{int:campaign_id}/attachments/{int:attachment_id}/file")
def attachment_file(request, campaign_id: int, attachment_id: int):
    """The file itself, under its original name."""
    attachment = _attachment(request, campaign_id, attachment_id)
    return stored_file_response(attachment.file, filename=attachment.original_name)


@router.delete("/{int:campaign_id}/attachments/{int:attachment_id}", response={204: None})
def attachment_delete(request, campaign_id: int, attachment_id: int):
    attachment = _attachment(request, campaign_id, attachment_id)
    services.attachment_delete(actor=request.user, attachment=attachment)
