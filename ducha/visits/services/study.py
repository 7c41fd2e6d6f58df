"""The study log (学习记录): hours of self or collective study, counted by the quotas."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import Person

from .. import selectors
from ..models import StudyRecord
from .visits import _campaign_visible, _date, _outside_campaign, _user

MAX_STUDY_HOURS = Decimal("24")

# --- the study log -------------------------------------------------------------------------


def _may_log_study_for(actor, person: Person) -> bool:
    """One's own study, or that of a unit whose records one keeps (coordinator, unit head)."""
    own = getattr(actor, "person", None) if getattr(actor, "pk", None) else None
    if own is not None and own.pk == person.pk:
        return True
    return access.has_cap(actor, Cap.SUBMIT, person.unit)


def study_record_add(
    *,
    actor,
    person: Person,
    date: datetime.date,
    hours: Decimal,
    kind: str,
    topic: str,
    campaign: Campaign | None = None,
) -> StudyRecord:
    """Log hours of self or collective study."""
    if not access.has_cap(actor, Cap.VIEW, person.unit):
        raise Http404
    if not _may_log_study_for(actor, person):
        raise PermissionDenied
    if campaign is not None:
        _campaign_visible(actor, campaign)
    problems: dict[str, list[str]] = {}
    today = selectors.today()
    if date > today:
        problems["date"] = [
            _("Study cannot be dated in the future (today is %(today)s).") % {"today": _date(today)}
        ]
    elif campaign is not None and (
        (campaign.starts_on and date < campaign.starts_on)
        or (campaign.ends_on and date > campaign.ends_on)
    ):
        problems["date"] = [_outside_campaign(campaign, date)]
    hours = Decimal(hours)
    if hours <= 0 or hours > MAX_STUDY_HOURS:
        problems["hours"] = [_("Enter between 0.5 and 24 hours for one day's study.")]
    if problems:
        raise ValidationError(problems)
    record = StudyRecord(
        person=person,
        campaign=campaign,
        date=date,
        hours=hours,
        kind=kind,
        topic=(topic or "").strip(),
        created_by=_user(actor),
    )
    record.full_clean(exclude=["person", "campaign", "created_by"])
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor,
            action="create",
            obj=record,
            unit_path=person.unit.path,
            after=snapshot(record),
        )
    return record


def study_record_delete(*, actor, record: StudyRecord) -> None:
    if not _may_log_study_for(actor, record.person):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=record,
            unit_path=record.person.unit.path,
            before=snapshot(record),
        )
        record.delete()
