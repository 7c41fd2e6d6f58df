"""Actions on visit records and their photos. Each checks who may act, runs in one
transaction and writes its audit entry.

Dates are China Standard Time by the server's clock: a visit dated after today is refused,
whatever the phone's clock says.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place

from .. import photos as photo_files
from .. import selectors
from ..models import ChecklistTemplate, Visit, VisitPhoto, VisitSettings

# Nine photos fit one phone screen of thumbnails; a visit needs no more.
MAX_PHOTOS = 9
CLIENT_TOKEN_MAX = 64
MAX_TEXT = 10_000
MAX_ANSWER = 500


def _date(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# --- the rules of a visit record ------------------------------------------------------------


@dataclass
class VisitDraft:
    """A visit as entered, before it is written; the same rules check the form, the API and
    each row of an imported ledger."""

    campaign: Campaign
    unit: OrgUnit
    date: datetime.date | None
    visitors: list[Person]
    places: list[Place] = field(default_factory=list)
    target_unit: OrgUnit | None = None
    checklist: ChecklistTemplate | None = None
    checklist_answers: dict = field(default_factory=dict)
    notes: str = ""
    problems_found: str = ""
    discipline_affirmed: bool = False

    @property
    def target_kind(self) -> str:
        return selectors.target_kind_of(self.places, self.target_unit)


def visit_problems(
    draft: VisitDraft,
    *,
    allowed_place_ids: set[int],
    templates: Sequence[ChecklistTemplate],
    today: datetime.date,
) -> dict[str, list[str]]:
    """Every rule the visit breaks, by field; empty when it may be written. Reads nothing
    from the database: the caller passes the unit's contact places and the checklists."""
    problems: dict[str, list[str]] = {}

    def refuse(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    campaign, unit = draft.campaign, draft.unit
    if campaign.status != Campaign.Status.ACTIVE:
        refuse(
            "campaign",
            _("The campaign is %(status)s; visits are logged only while it runs.")
            % {"status": campaign.get_status_display()},
        )
    if draft.date is None:
        refuse("date", _("Enter the date of the visit."))
    elif draft.date > today:
        refuse(
            "date",
            _("A visit cannot be dated in the future (today is %(today)s).")
            % {"today": _date(today)},
        )
    elif (campaign.starts_on and draft.date < campaign.starts_on) or (
        campaign.ends_on and draft.date > campaign.ends_on
    ):
        refuse("date", _outside_campaign(campaign, draft.date))

    # The plan caps visit groups ("每组不超过5人"): the campaign says how many.
    visitors = list({p.pk: p for p in draft.visitors}.values())
    if not visitors:
        refuse("visitors", _("Choose at least one person of the visit group."))
    elif len(visitors) > campaign.visit_group_max:
        refuse(
            "visitors",
            _("A visit group has at most %(max)s people under this campaign; this one has %(n)s.")
            % {"max": campaign.visit_group_max, "n": len(visitors)},
        )
    for person in visitors:
        if not person.unit.path.startswith(unit.path):
            refuse(
                "visitors",
                _("%(name)s does not belong to %(unit)s.") % {"name": person.name, "unit": unit},
            )

    if not draft.places and draft.target_unit is None:
        refuse("places", _("Choose the place visited (or the unit visited)."))
    outside = [p for p in draft.places if p.pk not in allowed_place_ids]
    if outside:
        refuse(
            "places",
            ngettext(
                "%(n)s of the places chosen is not among the places %(unit)s visits.",
                "%(n)s of the places chosen are not among the places %(unit)s visits.",
                len(outside),
            )
            % {"n": len(outside), "unit": unit},
        )
    if draft.target_unit is not None and not draft.target_unit.path.startswith(campaign.unit.path):
        refuse("target_unit", _("The unit visited does not take part in this campaign."))

    if draft.checklist is not None:
        if draft.checklist.pk not in {t.pk for t in templates}:
            refuse("checklist", _("This checklist does not belong to the campaign."))
        else:
            _answers, answer_problems = clean_answers(draft.checklist, draft.checklist_answers)
            for message in answer_problems:
                refuse("checklist_answers", message)
    if campaign.discipline_rules.strip() and not draft.discipline_affirmed:
        refuse(
            "discipline_affirmed",
            _("The visit group must affirm that it kept the campaign's discipline rules."),
        )
    for key in ("notes", "problems_found"):
        if len(getattr(draft, key)) > MAX_TEXT:
            refuse(key, _("At most %(n)s characters.") % {"n": f"{MAX_TEXT:,}"})
    return problems


def _outside_campaign(campaign: Campaign, day: datetime.date) -> str:
    if campaign.starts_on and campaign.ends_on:
        return _("The campaign runs from %(start)s to %(end)s; %(date)s is outside it.") % {
            "start": _date(campaign.starts_on),
            "end": _date(campaign.ends_on),
            "date": _date(day),
        }
    if campaign.starts_on:
        return _("The campaign starts on %(start)s; %(date)s is before it.") % {
            "start": _date(campaign.starts_on),
            "date": _date(day),
        }
    return _("The campaign ended on %(end)s; %(date)s is after it.") % {
        "end": _date(campaign.ends_on),
        "date": _date(day),
    }


def clean_answers(template: ChecklistTemplate, answers: dict | None) -> tuple[dict, list[str]]:
    """The answers kept for the template's items: ticked items as true, answered questions
    as their text; unknown items and overlong answers are problems."""
    items = {item["key"]: item for item in template.items}
    cleaned: dict = {}
    problems: list[str] = []
    for key, value in (answers or {}).items():
        item = items.get(key)
        if item is None:
            problems.append(_("“%(key)s” is not an item of this checklist.") % {"key": key})
            continue
        if item.get("kind") == "text":
            text = str(value if value is not None else "").strip()
            if isinstance(value, bool):
                text = ""
            if len(text) > MAX_ANSWER:
                problems.append(
                    _("The answer to “%(item)s” has more than %(n)s characters.")
                    % {"item": item["text"], "n": MAX_ANSWER}
                )
            elif text:
                cleaned[key] = text
        elif value is True or (isinstance(value, str) and value.lower() in ("1", "true", "on")):
            cleaned[key] = True
    return cleaned, problems


def _campaign_visible(actor, campaign: Campaign) -> None:
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404


def _require_logger(actor, campaign: Campaign, unit: OrgUnit) -> None:
    """Outside the actor's sight: 404, as for a missing record; seen but not theirs to log: 403."""
    _campaign_visible(actor, campaign)
    if not access.has_cap(actor, Cap.VIEW, unit):
        raise Http404
    if not access.may_log_visits(actor, unit):
        raise PermissionDenied


def _check_token(client_token: str) -> str:
    client_token = (client_token or "").strip()
    if not client_token or len(client_token) > CLIENT_TOKEN_MAX:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    return client_token


def _replayed(client_token: str, actor, campaign: Campaign) -> Visit | None:
    """The visit this form already made: a double tap, or a form sent again after the
    connection dropped, records the visit once."""
    visit = Visit.objects.filter(client_token=client_token).first()
    if visit is None:
        return None
    if visit.campaign_id != campaign.pk or visit.created_by_id != getattr(actor, "pk", None):
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    return visit


def _same_visit(draft: VisitDraft) -> Visit | None:
    """An earlier record of the same visit: same unit, day, group and places."""
    visitor_ids = {p.pk for p in draft.visitors}
    place_ids = {p.pk for p in draft.places}
    candidates = Visit.objects.filter(
        campaign=draft.campaign,
        unit=draft.unit,
        date=draft.date,
        target_unit=draft.target_unit,
    ).prefetch_related("visitors", "places")
    for visit in candidates:
        if {p.pk for p in visit.visitors.all()} == visitor_ids and {
            p.pk for p in visit.places.all()
        } == place_ids:
            return visit
    return None


def allowed_place_ids(campaign: Campaign, unit: OrgUnit, places: Iterable[Place]) -> set[int]:
    ids = [p.pk for p in places]
    if not ids:
        return set()
    return set(
        selectors.contact_places(campaign, unit).filter(pk__in=ids).values_list("pk", flat=True)
    )


def keeps_photo_location(campaign: Campaign) -> bool:
    return VisitSettings.objects.filter(campaign=campaign, keep_photo_location=True).exists()


def visit_log(
    *,
    actor,
    campaign: Campaign,
    unit: OrgUnit,
    date: datetime.date | None,
    visitors: Sequence[Person],
    places: Sequence[Place] = (),
    target_unit: OrgUnit | None = None,
    checklist: ChecklistTemplate | None = None,
    checklist_answers: dict | None = None,
    notes: str = "",
    problems_found: str = "",
    discipline_affirmed: bool = False,
    photos: Sequence[IO[bytes]] = (),
    client_token: str,
) -> Visit:
    """Record a visit with its group, places, checklist and photos.

    The same client_token again returns the visit it made; the same visit entered twice
    (same day, unit, group and places) is refused. Photos are checked before anything is
    written; if anything fails, no row and no stored file remain.
    """
    _require_logger(actor, campaign, unit)
    client_token = _check_token(client_token)
    replay = _replayed(client_token, actor, campaign)
    if replay is not None:
        return replay
    draft = VisitDraft(
        campaign=campaign,
        unit=unit,
        date=date,
        visitors=list(visitors),
        places=list({p.pk: p for p in places}.values()),
        target_unit=target_unit,
        checklist=checklist,
        checklist_answers=dict(checklist_answers or {}),
        notes=(notes or "").strip(),
        problems_found=(problems_found or "").strip(),
        discipline_affirmed=bool(discipline_affirmed),
    )
    templates = list(selectors.checklists_for(campaign))
    if draft.checklist is None:
        draft.checklist = selectors.default_checklist(templates, draft.target_kind)
    problems = visit_problems(
        draft,
        allowed_place_ids=allowed_place_ids(campaign, unit, draft.places),
        templates=templates,
        today=selectors.today(),
    )
    if not selectors.takes_part(campaign, unit):
        problems.setdefault("unit", []).append(
            _("%(unit)s does not take part in this campaign.") % {"unit": unit}
        )
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        problems.setdefault("photos", []).append(
            _("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}
        )
    if problems:
        raise ValidationError(problems)
    if _same_visit(draft) is not None:
        raise ValidationError(
            _("This visit is already recorded: same day, group and places."), code="duplicate"
        )
    keep_location = keeps_photo_location(campaign)
    prepared = [photo_files.prepare_photo(p, keep_location=keep_location) for p in photos]
    answers, _problems = (
        clean_answers(draft.checklist, draft.checklist_answers) if draft.checklist else ({}, [])
    )

    stored: list[str] = []
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                campaign=campaign,
                unit=unit,
                date=draft.date,
                target_unit=draft.target_unit,
                target_kind=draft.target_kind,
                checklist=draft.checklist,
                checklist_answers=answers,
                notes=draft.notes,
                problems_found=draft.problems_found,
                discipline_affirmed=draft.discipline_affirmed,
                created_by=_user(actor),
                client_token=client_token,
            )
            visit.visitors.set(draft.visitors)
            visit.places.set(draft.places)
            saved = [_store_photo(visit, photo, stored) for photo in prepared]
            audit_record(
                actor=actor,
                action="create",
                obj=visit,
                unit_path=unit.path,
                after=_visit_snapshot(visit, draft.visitors, draft.places, saved),
            )
    except IntegrityError:
        _delete_stored(stored)
        replay = _replayed(client_token, actor, campaign)
        if replay is not None:
            return replay
        raise
    except BaseException:
        _delete_stored(stored)
        raise
    return visit


def _visit_snapshot(visit: Visit, visitors, places, photos) -> dict:
    # Place ids only: households' names are personal data and stay out of the log.
    return {
        **snapshot(visit),
        "visitors": sorted(p.pk for p in visitors),
        "places": sorted(p.pk for p in places),
        "photos": [{"name": p.original_name, "size": p.size} for p in photos],
    }


def _store_photo(visit: Visit, photo: photo_files.PreparedPhoto, stored: list[str]) -> VisitPhoto:
    record = VisitPhoto(
        visit=visit,
        original_name=photo.name,
        width=photo.width,
        height=photo.height,
        size=photo.size,
    )
    record.original.save(photo.original.name, photo.original, save=False)
    stored.append(record.original.name)
    record.display.save(photo.display.name, photo.display, save=False)
    stored.append(record.display.name)
    record.save()
    return record


def _delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def may_change_visit(actor, visit: Visit) -> bool:
    """The person who logged it, a member of its group, or whoever keeps the unit's records."""
    if visit.created_by_id and visit.created_by_id == getattr(actor, "pk", None):
        return True
    if access.has_cap(actor, Cap.SUBMIT, visit.unit):
        return True
    person = getattr(actor, "person", None) if getattr(actor, "pk", None) else None
    return person is not None and visit.visitors.filter(pk=person.pk).exists()


def visit_photo_add(*, actor, visit: Visit, upload: IO[bytes]) -> VisitPhoto:
    """Add a photo to a recorded visit."""
    if not access.may_log_visits(actor, visit.unit) or not may_change_visit(actor, visit):
        raise PermissionDenied
    if visit.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": [_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    prepared = photo_files.prepare_photo(upload, keep_location=keeps_photo_location(visit.campaign))
    stored: list[str] = []
    try:
        with transaction.atomic():
            photo = _store_photo(visit, prepared, stored)
            audit_record(
                actor=actor,
                action="create",
                obj=photo,
                unit_path=visit.unit.path,
                after={**snapshot(photo), "visit": visit.pk},
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return photo


def visit_delete(*, actor, visit: Visit) -> None:
    """Remove a visit entered by mistake; its photos' files go once the deletion commits."""
    if not access.may_log_visits(actor, visit.unit) or not may_change_visit(actor, visit):
        raise PermissionDenied
    names = [n for p in visit.photos.all() for n in (p.original.name, p.display.name)]
    before = _visit_snapshot(
        visit, list(visit.visitors.all()), list(visit.places.all()), list(visit.photos.all())
    )
    try:
        with transaction.atomic():
            audit_record(
                actor=actor, action="delete", obj=visit, unit_path=visit.unit.path, before=before
            )
            visit.delete()
            transaction.on_commit(lambda: _delete_stored(names))
    except ProtectedError:
        # Problems reported from the visit keep it: nothing found may silently disappear.
        raise ValidationError(
            _("Problems were reported from this visit; it stays on record."), code="protected"
        ) from None


def import_token(campaign_id: int, unit_code: str, day, visitor_codes, place_codes, target) -> str:
    """The client_token of an imported row: the same visit imported twice is refused."""
    key = "|".join(
        [
            str(campaign_id),
            unit_code,
            str(day),
            ",".join(sorted(visitor_codes)),
            ",".join(sorted(place_codes)),
            target or "",
        ]
    )
    return "import:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:56]
