"""Actions on campaigns: create, edit, scope, status, phases, key tasks, leadership group,
attachments, and the cascade (adoption by a participating unit). Each writes its audit entry."""

from __future__ import annotations

import datetime
import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person
from ducha.submissions.models import Requirement

from .models import Attachment, Campaign, KeyTask, LeadershipMember, Participant, Phase

CAMPAIGN_FIELDS = (
    "title",
    "theme",
    "doc_number",
    "issuer",
    "issue_date",
    "starts_on",
    "ends_on",
    "objectives",
    "discipline_rules",
    "visit_group_max",
    "source_text",
)
PHASE_FIELDS = ("order", "name", "starts_on", "ends_on", "start_text", "end_text", "tasks")
KEY_TASK_FIELDS = ("number", "title", "text")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

Status = Campaign.Status
# The one way through a campaign's life (DOMAIN §4): draft → active → closed → archived.
TRANSITIONS: dict[str, str] = {
    Status.DRAFT: Status.ACTIVE,
    Status.ACTIVE: Status.CLOSED,
    Status.CLOSED: Status.ARCHIVED,
}


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _require_manager(actor, campaign: Campaign) -> None:
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, campaign.unit)


def is_editable(campaign: Campaign) -> bool:
    """Drafts and running campaigns are edited; closed and archived ones are a record."""
    return campaign.status in (Status.DRAFT, Status.ACTIVE)


def _require_editable(campaign: Campaign) -> None:
    if not is_editable(campaign):
        raise ValidationError(
            _("The campaign is %(status)s and can no longer be changed.")
            % {"status": campaign.get_status_display()}
        )


def _audit(actor, action: str, obj, campaign: Campaign, before=None, after=None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        unit_path=campaign.unit.path,
        before=before,
        after=after,
    )


# --- campaigns -----------------------------------------------------------------------------


def _check_campaign(campaign: Campaign) -> None:
    campaign.title = (campaign.title or "").strip()
    campaign.full_clean(exclude=["unit", "parent", "created_by"])
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise _refuse("ends_on", _("The campaign ends before it starts."))
    # A child campaign may tighten its parent's dates, never loosen them (层层落实).
    parent_end = campaign.parent.ends_on if campaign.parent_id else None
    if parent_end and campaign.ends_on and campaign.ends_on > parent_end:
        raise _refuse(
            "ends_on",
            _(
                "The parent campaign ends on %(date)s; an adopted campaign may end earlier "
                "but not later."
            )
            % {"date": _date(parent_end)},
        )
    if campaign.pk:
        # Phases already planned must stay inside the campaign's dates.
        phases = Phase.objects.filter(campaign=campaign)
        if campaign.starts_on:
            early = phases.filter(starts_on__lt=campaign.starts_on).first()
            if early is not None:
                raise _refuse(
                    "starts_on",
                    _("The phase “%(phase)s” starts earlier, on %(date)s.")
                    % {"phase": early.name, "date": _date(early.starts_on)},
                )
        if campaign.ends_on:
            late = phases.filter(ends_on__gt=campaign.ends_on).first()
            if late is not None:
                raise _refuse(
                    "ends_on",
                    _("The phase “%(phase)s” ends later, on %(date)s.")
                    % {"phase": late.name, "date": _date(late.ends_on)},
                )


def subtree_participants(unit: OrgUnit) -> list[OrgUnit]:
    """The units a campaign issued at `unit` reaches by default: every active unit below it,
    departments (科室) excepted since they report through their unit."""
    return list(
        OrgUnit.objects.filter(path__startswith=unit.path, is_active=True)
        .exclude(pk=unit.pk)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
        .order_by("path")
    )


def _scope_units(unit: OrgUnit, scope_mode: str, units) -> list[OrgUnit]:
    if scope_mode == Campaign.ScopeMode.SUBTREE:
        return subtree_participants(unit)
    if scope_mode != Campaign.ScopeMode.LIST:
        raise _refuse("scope_mode", _("Unknown scope."))
    chosen = {u.pk: u for u in (units or [])}
    if not chosen:
        raise _refuse("units", _("Choose at least one unit."))
    outside = [u for u in chosen.values() if u.pk == unit.pk or not u.is_descendant_of(unit)]
    if outside:
        raise _refuse(
            "units",
            _("“%(unit)s” is not a subordinate unit of “%(issuer)s”.")
            % {"unit": outside[0].name, "issuer": unit.name},
        )
    return sorted(chosen.values(), key=lambda u: u.path)


def campaign_create(
    *,
    actor,
    unit: OrgUnit,
    scope_mode: str = Campaign.ScopeMode.SUBTREE,
    units: list[OrgUnit] | None = None,
    **fields,
) -> Campaign:
    """A draft campaign issued at `unit`, its participants materialised from the scope."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    campaign = Campaign(
        unit=unit,
        scope_mode=scope_mode,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS},
    )
    if not campaign.issuer:
        campaign.issuer = unit.name
    _check_campaign(campaign)
    participants = _scope_units(unit, scope_mode, units)
    with transaction.atomic():
        campaign.save()
        Participant.objects.bulk_create(
            [Participant(campaign=campaign, unit=u) for u in participants]
        )
        _audit(
            actor,
            "create",
            campaign,
            campaign,
            after={**snapshot(campaign), "participants": [u.pk for u in participants]},
        )
    return campaign


def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Change the campaign's own fields (not its status, scope or issuing unit)."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    before = snapshot(Campaign.objects.get(pk=campaign.pk), fields=list(CAMPAIGN_FIELDS))
    for key, value in fields.items():
        if key in CAMPAIGN_FIELDS:
            setattr(campaign, key, value)
    _check_campaign(campaign)
    with transaction.atomic():
        # Only these fields: a status changed meanwhile by another request is not undone.
        campaign.save(update_fields=[*CAMPAIGN_FIELDS, "updated_at"])
        after = snapshot(campaign, fields=list(CAMPAIGN_FIELDS))
        _audit(actor, "update", campaign, campaign, before=before, after=after)
    return campaign


def campaign_set_participants(
    *, actor, campaign: Campaign, scope_mode: str, units: list[OrgUnit] | None = None
) -> Campaign:
    """Replace the scope. A unit that has already adopted the campaign stays in it."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    wanted = {u.pk: u for u in _scope_units(campaign.unit, scope_mode, units)}
    current = set(campaign.participants.values_list("unit_id", flat=True))
    removed = current - set(wanted)
    if not removed and set(wanted) == current and scope_mode == campaign.scope_mode:
        return campaign
    adopted = (
        Campaign.objects.filter(parent=campaign, unit_id__in=removed).select_related("unit").first()
    )
    if adopted is not None:
        raise _refuse(
            "units",
            _("“%(unit)s” has already adopted the campaign and must stay in its scope.")
            % {"unit": adopted.unit.name},
        )
    before = {"scope_mode": campaign.scope_mode, "participants": sorted(current)}
    with transaction.atomic():
        campaign.participants.filter(unit_id__in=removed).delete()
        Participant.objects.bulk_create(
            [
                Participant(campaign=campaign, unit=u)
                for pk, u in wanted.items()
                if pk not in current
            ]
        )
        if campaign.scope_mode != scope_mode:
            campaign.scope_mode = scope_mode
            campaign.save(update_fields=["scope_mode", "updated_at"])
        _audit(
            actor,
            "update",
            campaign,
            campaign,
            before=before,
            after={"scope_mode": scope_mode, "participants": sorted(wanted)},
        )
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    """The campaign row, locked for the rest of the transaction: two clicks change it once."""
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("unit", "parent")
        .get(pk=campaign.pk)
    )


def _transition(*, actor, campaign: Campaign, to: str, check=None) -> Campaign:
    _require_manager(actor, campaign)
    with transaction.atomic():
        row = _locked(campaign)
        if TRANSITIONS.get(row.status) != to:
            raise ValidationError(
                _("A campaign that is %(status)s cannot become %(to)s.")
                % {"status": row.get_status_display(), "to": Status(to).label}
            )
        if check is not None:
            check(row)
        before = snapshot(row)
        row.status = to
        update = ["status", "updated_at"]
        now = timezone.now()
        if to == Status.ACTIVE:
            row.activated_at = now
            update.append("activated_at")
        elif to == Status.CLOSED:
            row.closed_at = now
            update.append("closed_at")
        row.save(update_fields=update)
        _audit(actor, "update", row, row, before=before, after=snapshot(row))
    for field in ("status", "activated_at", "closed_at", "updated_at"):
        setattr(campaign, field, getattr(row, field))
    return campaign


def _ready_to_activate(campaign: Campaign) -> None:
    if not campaign.title.strip():
        raise ValidationError(_("Give the campaign a title before activating it."))
    # An adopted campaign at a unit with no subordinate units is that unit's own plan: the
    # unit itself takes part in the parent campaign, so it needs no participants of its own.
    if campaign.parent_id is None and not campaign.participants.exists():
        raise ValidationError(_("Choose at least one participating unit before activating."))
    if campaign.parent_id is not None and campaign.parent.status != Status.ACTIVE:
        raise ValidationError(
            _(
                "The parent campaign is %(status)s; an adopted campaign runs only while it is active."
            )
            % {"status": campaign.parent.get_status_display()}
        )


def campaign_activate(*, actor, campaign: Campaign) -> Campaign:
    """Draft → active: the plan is issued; units may submit and adopt it."""
    return _transition(actor=actor, campaign=campaign, to=Status.ACTIVE, check=_ready_to_activate)


def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """Active → closed: no more submissions."""
    return _transition(actor=actor, campaign=campaign, to=Status.CLOSED)


def campaign_archive(*, actor, campaign: Campaign) -> Campaign:
    """Closed → archived."""
    return _transition(actor=actor, campaign=campaign, to=Status.ARCHIVED)


def campaign_set_status(*, actor, campaign: Campaign, status: str) -> Campaign:
    """The transition to `status`, for pages and endpoints that name the target."""
    actions = {
        Status.ACTIVE: campaign_activate,
        Status.CLOSED: campaign_close,
        Status.ARCHIVED: campaign_archive,
    }
    if status not in actions:
        _require_manager(actor, campaign)
        if status == Status.DRAFT:
            raise ValidationError(_("A campaign cannot be set back to draft."))
        raise ValidationError(_("Unknown status."))
    return actions[status](actor=actor, campaign=campaign)


# --- phases --------------------------------------------------------------------------------


def _check_phase(phase: Phase, campaign: Campaign) -> None:
    phase.name = (phase.name or "").strip()
    phase.full_clean(exclude=["campaign", "inherited_from"])
    if phase.ends_on < phase.starts_on:
        raise _refuse("ends_on", _("The phase ends before it starts."))
    if campaign.starts_on and phase.starts_on < campaign.starts_on:
        raise _refuse(
            "starts_on",
            _("The phase starts before the campaign, which starts on %(date)s.")
            % {"date": _date(campaign.starts_on)},
        )
    if campaign.ends_on and phase.ends_on > campaign.ends_on:
        raise _refuse(
            "ends_on",
            _("The phase ends after the campaign, which ends on %(date)s.")
            % {"date": _date(campaign.ends_on)},
        )
    source = phase.inherited_from
    if source is not None and phase.ends_on > source.ends_on:
        raise _refuse(
            "ends_on",
            _(
                "The parent campaign's phase “%(phase)s” ends on %(date)s; an adopted "
                "phase may end earlier but not later."
            )
            % {"phase": source.name, "date": _date(source.ends_on)},
        )


def phase_add(
    *,
    actor,
    campaign: Campaign,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    start_text: str = "",
    end_text: str = "",
    tasks: str = "",
    order: int | None = None,
) -> Phase:
    """A phase of the campaign; the plan's own wording of its dates is kept beside them."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    if order is None:
        order = (campaign.phases.aggregate(m=Max("order"))["m"] or 0) + 1
    phase = Phase(
        campaign=campaign,
        order=order,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        start_text=start_text,
        end_text=end_text,
        tasks=tasks,
    )
    _check_phase(phase, campaign)
    with transaction.atomic():
        phase.save()
        _audit(actor, "create", phase, campaign, after=snapshot(phase))
    return phase


def phase_update(*, actor, phase: Phase, **fields) -> Phase:
    """Change a phase. When it ends earlier, adopted copies that would end later follow it."""
    campaign = phase.campaign
    _require_manager(actor, campaign)
    _require_editable(campaign)
    before = snapshot(Phase.objects.get(pk=phase.pk))
    for key, value in fields.items():
        if key in PHASE_FIELDS:
            setattr(phase, key, value)
    _check_phase(phase, campaign)
    with transaction.atomic():
        phase.save()
        _audit(actor, "update", phase, campaign, before=before, after=snapshot(phase))
        _clip_adoptions(actor, phase)
    return phase


def _clip_adoptions(actor, phase: Phase) -> None:
    """A parent that tightens a phase tightens every adopted copy that now ends later, level by
    level down the cascade, so no child is ever looser than its parent."""
    level = [phase]
    while level:
        by_id = {p.pk: p for p in level}
        level = []
        copies = Phase.objects.filter(
            inherited_from_id__in=by_id, ends_on__gt=min(p.ends_on for p in by_id.values())
        ).select_related("campaign__unit")
        for copy in copies:
            source = by_id[copy.inherited_from_id]
            if copy.ends_on <= source.ends_on:
                continue
            before = snapshot(copy)
            copy.ends_on, copy.end_text = source.ends_on, source.end_text
            copy.starts_on = min(copy.starts_on, copy.ends_on)
            copy.save(update_fields=["starts_on", "ends_on", "end_text"])
            _audit(actor, "update", copy, copy.campaign, before=before, after=snapshot(copy))
            level.append(copy)


def phase_delete(*, actor, phase: Phase) -> None:
    """Remove a phase of the campaign's own; an adopted one stays (it may only be tightened)."""
    campaign = phase.campaign
    _require_manager(actor, campaign)
    _require_editable(campaign)
    if phase.inherited_from_id:
        raise ValidationError(
            _(
                "“%(phase)s” comes from the parent campaign and cannot be removed; tighten its dates."
            )
            % {"phase": phase.name}
        )
    with transaction.atomic():
        _audit(actor, "delete", phase, campaign, before=snapshot(phase))
        phase.delete()


# --- key tasks -----------------------------------------------------------------------------


def _check_key_task(task: KeyTask) -> None:
    task.title = (task.title or "").strip()
    task.full_clean(exclude=["campaign"])
    taken = KeyTask.objects.filter(campaign_id=task.campaign_id, number=task.number)
    if task.pk:
        taken = taken.exclude(pk=task.pk)
    if taken.exists():
        raise _refuse("number", _("Key task %(n)d already exists.") % {"n": task.number})


def key_task_add(
    *, actor, campaign: Campaign, title: str, text: str = "", number: int | None = None
) -> KeyTask:
    """A numbered key task (重点工作); the next number when none is given."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    if number is None:
        number = (campaign.key_tasks.aggregate(m=Max("number"))["m"] or 0) + 1
    task = KeyTask(campaign=campaign, number=number, title=title, text=text)
    _check_key_task(task)
    with transaction.atomic():
        task.save()
        _audit(actor, "create", task, campaign, after=snapshot(task))
    return task


def key_task_update(*, actor, task: KeyTask, **fields) -> KeyTask:
    """Renumber or reword a key task; numbers stay unique within the campaign."""
    campaign = task.campaign
    _require_manager(actor, campaign)
    _require_editable(campaign)
    before = snapshot(KeyTask.objects.get(pk=task.pk))
    for key, value in fields.items():
        if key in KEY_TASK_FIELDS:
            setattr(task, key, value)
    _check_key_task(task)
    with transaction.atomic():
        task.save()
        _audit(actor, "update", task, campaign, before=before, after=snapshot(task))
    return task


def key_task_delete(*, actor, task: KeyTask) -> None:
    """Remove a key task; the others keep their numbers."""
    campaign = task.campaign
    _require_manager(actor, campaign)
    _require_editable(campaign)
    with transaction.atomic():
        _audit(actor, "delete", task, campaign, before=snapshot(task))
        task.delete()


# --- leadership group ----------------------------------------------------------------------


def leadership_set(*, actor, campaign: Campaign, members: list[dict]) -> list[LeadershipMember]:
    """Replace the leadership group (领导小组). Each member: role, name, post, and optionally a
    person of the actor's scope, whose name is then used."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    linked_ids = {m["person"].pk for m in members if m.get("person") is not None}
    visible = set(
        access.people_for_user(actor).filter(pk__in=linked_ids).values_list("pk", flat=True)
    )
    rows: list[LeadershipMember] = []
    errors: list[str] = []
    for order, member in enumerate(members):
        person: Person | None = member.get("person")
        if person is not None and person.pk not in visible:
            errors.append(_("Row %(n)d: no such person in your scope.") % {"n": order + 1})
            continue
        name = person.name if person is not None else (member.get("name") or "").strip()
        row = LeadershipMember(
            campaign=campaign,
            role=member.get("role", ""),
            person=person,
            name=name,
            post=(member.get("post") or "").strip(),
            order=order,
        )
        try:
            row.full_clean(exclude=["campaign", "person"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = LeadershipMember._meta.get_field(field).verbose_name
                errors.extend(
                    _("Row %(n)d, %(field)s: %(error)s")
                    % {"n": order + 1, "field": label, "error": m}
                    for m in messages
                )
            continue
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    before = [_member_snapshot(m) for m in campaign.leadership.all()]
    with transaction.atomic():
        campaign.leadership.all().delete()
        LeadershipMember.objects.bulk_create(rows)
        _audit(
            actor,
            "update",
            campaign,
            campaign,
            before={"leadership": before},
            after={"leadership": [_member_snapshot(m) for m in rows]},
        )
    return rows


def _member_snapshot(member: LeadershipMember) -> dict:
    return {
        "role": member.role,
        "name": member.name,
        "post": member.post,
        "person_id": member.person_id,
    }


# --- attachments ---------------------------------------------------------------------------


def attachment_add(*, actor, campaign: Campaign, file: UploadedFile) -> Attachment:
    """Keep a file of the plan (its text, tables, forms) under the campaign, at most 20 MB.
    It is stored under a random name; the original name is kept for downloads."""
    _require_manager(actor, campaign)
    _require_editable(campaign)
    if file.size > MAX_ATTACHMENT_BYTES:
        raise _refuse(
            "file", _("A file may have at most %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES >> 20}
        )
    original = os.path.basename((file.name or "").replace("\\", "/")).strip() or "attachment"
    extension = os.path.splitext(original)[1].lower()[:10]
    attachment = Attachment(
        campaign=campaign,
        original_name=original[:255],
        size=file.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            _audit(
                actor,
                "create",
                attachment,
                campaign,
                after={"original_name": attachment.original_name, "size": attachment.size},
            )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove an attachment; its file is deleted once the removal is committed."""
    campaign = attachment.campaign
    _require_manager(actor, campaign)
    _require_editable(campaign)
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        _audit(
            actor,
            "delete",
            attachment,
            campaign,
            before={"original_name": attachment.original_name, "size": attachment.size},
        )
        attachment.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))


# --- cascade -------------------------------------------------------------------------------


def campaign_adopt(*, actor, parent: Campaign, unit: OrgUnit) -> Campaign:
    """The campaign of a participating unit that adopts `parent` (结合实际制定方案): it inherits
    the phases, key tasks and required submissions, and reaches the unit's own subtree. A unit
    adopts a campaign once; asking again returns its campaign unchanged."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    with transaction.atomic():
        parent = _locked(parent)
        existing = Campaign.objects.filter(parent=parent, unit=unit).first()
        if existing is not None:
            return existing
        if parent.status != Status.ACTIVE:
            raise ValidationError(
                _("Only an active campaign can be adopted; this one is %(status)s.")
                % {"status": parent.get_status_display()}
            )
        if not parent.participants.filter(unit=unit).exists():
            raise _refuse(
                "unit", _("“%(unit)s” does not take part in this campaign.") % {"unit": unit}
            )
        child = Campaign(
            unit=unit,
            parent=parent,
            created_by=actor if getattr(actor, "pk", None) else None,
            scope_mode=Campaign.ScopeMode.SUBTREE,
            issuer=unit.name,
            **{
                f: getattr(parent, f)
                for f in CAMPAIGN_FIELDS
                if f not in ("doc_number", "issuer", "issue_date", "source_text")
            },
        )
        child.save()
        participants = subtree_participants(unit)
        Participant.objects.bulk_create([Participant(campaign=child, unit=u) for u in participants])
        phases = list(parent.phases.all())
        Phase.objects.bulk_create(
            [
                Phase(
                    campaign=child,
                    inherited_from=p,
                    **{f: getattr(p, f) for f in PHASE_FIELDS},
                )
                for p in phases
            ]
        )
        KeyTask.objects.bulk_create(
            [
                KeyTask(campaign=child, number=t.number, title=t.title, text=t.text)
                for t in parent.key_tasks.all()
            ]
        )
        requirements = list(Requirement.objects.filter(campaign=parent))
        Requirement.objects.bulk_create(
            [
                Requirement(
                    campaign=child,
                    parent=r,
                    kind=r.kind,
                    title=r.title,
                    description=r.description,
                    due_date=r.due_date,
                    due_text=r.due_text,
                    recurrence=r.recurrence,
                    repeat_until=r.repeat_until,
                    receiver=r.receiver,
                    remind_days_before=r.remind_days_before,
                    escalate_days_after=r.escalate_days_after,
                )
                for r in requirements
            ]
        )
        _audit(
            actor,
            "create",
            child,
            child,
            after={
                **snapshot(child),
                "participants": [u.pk for u in participants],
                "phases": [p.pk for p in phases],
                "requirements": [r.pk for r in requirements],
            },
        )
    return child
