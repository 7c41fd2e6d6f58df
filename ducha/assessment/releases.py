"""Published scores (公布): a month's ranking frozen as a numbered version, checked later
against a recomputation from the same data, and the rows a unit may see of it (DOMAIN §10).

Each cell keeps what it rests on, so every number links to its records: the hand score's id,
the appeal whose correction replaced it, or the name of the source it is computed from.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access

from . import scoring
from .models import Indicator, ManualScore, ScoreCorrection, ScoreRelease

# How long units may appeal a release unless the office says otherwise.
APPEAL_DAYS = 7

# What a cell's number rests on, besides the computed sources of Indicator.Source.
MANUAL = "manual"
CORRECTION = "correction"


def today() -> datetime.date:
    """Today in China Standard Time (the site's time zone), by the server's clock."""
    return timezone.localdate()


def _text(value) -> str | None:
    return None if value is None else str(value)


def ranking_content(ranking: scoring.Ranking) -> dict:
    """The ranking as plain JSON data: the indicators, and per unit its score, rank and cells,
    each cell with the record it rests on."""
    campaign, period = ranking.campaign, ranking.period
    manual = {
        (s.indicator_id, s.unit_id): s.pk
        for s in ManualScore.objects.filter(indicator__campaign=campaign, period=period)
    }
    corrected = {
        (c.indicator_id, c.unit_id): c.appeal_id
        for c in ScoreCorrection.objects.filter(
            indicator__campaign=campaign, period=period
        ).order_by("created_at", "id")
    }
    indicators = [
        {
            "id": i.pk,
            "content": i.content,
            "weight": str(i.weight),
            "source": i.computed_source,
            "veto": i.veto,
        }
        for i in ranking.indicators
    ]
    rows = []
    for row in ranking.rows:
        cells = []
        for cell in row.cells:
            key = (cell.indicator.pk, row.unit.pk)
            source, record = cell.indicator.computed_source, None
            if key in corrected:
                source, record = CORRECTION, corrected[key]
            elif not cell.indicator.is_computed:
                source, record = MANUAL, manual.get(key)
            cells.append(
                {
                    "indicator_id": cell.indicator.pk,
                    "value": _text(cell.value),
                    "met": cell.met,
                    "source": source,
                    "record_id": record,
                }
            )
        rows.append(
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "score": _text(row.score),
                "rank": row.rank,
                "peers": row.peers,
                "failed": row.failed,
                "bottom": row.bottom,
                "incomplete": row.incomplete,
                "missing": list(row.missing),
                "cells": cells,
            }
        )
    return {"indicators": indicators, "rows": rows}


def canonical_json(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def release_publish(
    *, actor, campaign, period: str, appeal_deadline: datetime.date | None = None
) -> tuple[ScoreRelease, bool]:
    """Publish the month's ranking as it is now, open to appeal until `appeal_deadline`
    (default: a week from today). Data unchanged since the last version publishes nothing:
    that version is returned with False."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    scoring.check_period(period)
    if appeal_deadline is None:
        appeal_deadline = today() + datetime.timedelta(days=APPEAL_DAYS)
    elif appeal_deadline < today():
        raise ValidationError(
            {"appeal_deadline": [_("The appeal deadline cannot be before today.")]}
        )
    return publish(actor=actor, campaign=campaign, period=period, appeal_deadline=appeal_deadline)


def publish(*, actor, campaign, period: str, appeal_deadline) -> tuple[ScoreRelease, bool]:
    """Compute and store a new version unless it equals the latest one (also used when an
    accepted appeal changes a value; the caller has checked the actor)."""
    from ducha.campaigns.models import Campaign

    with transaction.atomic():
        # One publisher per campaign at a time: a double click waits, then finds its version.
        list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
        ranking = scoring.campaign_ranking(campaign=campaign, period=period, user=actor)
        content = ranking_content(ranking)
        digest = content_hash(content)
        latest = (
            ScoreRelease.objects.filter(campaign=campaign, period=period)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.content_hash == digest:
            return latest, False
        release = ScoreRelease.objects.create(
            campaign=campaign,
            period=period,
            version=latest.version + 1 if latest else 1,
            published_by=actor,
            published_at=timezone.now(),
            appeal_deadline=appeal_deadline,
            indicators=content["indicators"],
            rows=content["rows"],
            content_hash=digest,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=release,
            unit_path=campaign.unit.path,
            after=snapshot(release, ["campaign", "period", "version", "appeal_deadline"])
            | {"content_hash": digest},
        )
        if latest is not None:
            latest.superseded_by = release
            latest.save(update_fields=["superseded_by", "updated_at"])
            audit_record(
                actor=actor,
                action="update",
                obj=latest,
                unit_path=campaign.unit.path,
                before={"superseded_by": None},
                after={"superseded_by": release.pk},
            )
    return release, True


@dataclass
class ReleaseCheck:
    """A release compared with the ranking recomputed from today's data."""

    matches: bool
    current_hash: str = ""
    changed_unit_ids: list[int] = field(default_factory=list)
    indicators_changed: bool = False
    error: str = ""


def release_verify(*, release: ScoreRelease, user) -> ReleaseCheck:
    """Recompute the release's month from current data: does it give the same content (same
    hash), and if not, which units' rows differ."""
    try:
        ranking = scoring.campaign_ranking(
            campaign=release.campaign, period=release.period, user=user
        )
    except ValidationError as error:
        return ReleaseCheck(matches=False, error=" ".join(error.messages))
    content = json.loads(canonical_json(ranking_content(ranking)))
    digest = content_hash(content)
    stored = {row["unit_id"]: row for row in release.rows}
    fresh = {row["unit_id"]: row for row in content["rows"]}
    changed = sorted(
        unit_id
        for unit_id in stored.keys() | fresh.keys()
        if stored.get(unit_id) != fresh.get(unit_id)
    )
    return ReleaseCheck(
        matches=digest == release.content_hash,
        current_hash=digest,
        changed_unit_ids=changed,
        indicators_changed=content["indicators"] != release.indicators,
    )


# --- reading releases ------------------------------------------------------------------------


def release_list(campaign) -> list[ScoreRelease]:
    return list(
        ScoreRelease.objects.filter(campaign=campaign)
        .select_related("published_by")
        .defer("rows")
        .order_by("-period", "-version")
    )


def appeal_open(release: ScoreRelease, *, on: datetime.date | None = None) -> bool:
    """Appeals are taken against the current version until its deadline (inclusive)."""
    return not release.is_superseded and (on or today()) <= release.appeal_deadline


def deadline_text(release: ScoreRelease) -> str:
    return date_format(release.appeal_deadline, "Y-m-d")


@dataclass
class UnitRows:
    """A unit user's rows of one release: never the values of peers outside their scope."""

    release: ScoreRelease
    indicators: list[dict]
    rows: list[dict]
    may_appeal: bool


def my_scores(user) -> list[UnitRows]:
    """For each campaign the user's units take part in, their rows of its latest release."""
    from ducha.campaigns.models import Participant

    newest = (
        ScoreRelease.objects.filter(campaign=OuterRef("campaign"))
        .order_by("-period", "-version")
        .values("pk")[:1]
    )
    takes_part = Participant.objects.filter(access.scope_q(user), campaign=OuterRef("campaign"))
    releases = list(
        access.score_releases_for_user(user)
        .filter(Exists(takes_part), pk=Subquery(newest))
        .select_related("campaign__unit")
        .order_by("-period", "campaign_id")
    )
    listed = {row["unit_id"] for release in releases for row in release.rows}
    own = set(access.units_for_user(user).filter(pk__in=listed).values_list("pk", flat=True))
    result = []
    for release in releases:
        rows = [row for row in release.rows if row["unit_id"] in own]
        if rows:
            result.append(
                UnitRows(
                    release=release,
                    indicators=release.indicators,
                    rows=rows,
                    may_appeal=appeal_open(release),
                )
            )
    return result


def row_of(release: ScoreRelease, unit_id: int) -> dict | None:
    return next((row for row in release.rows if row["unit_id"] == unit_id), None)


def indicator_of(release: ScoreRelease, indicator_id: int | None) -> dict | None:
    return next((i for i in release.indicators if i["id"] == indicator_id), None)


def indicators_in(release: ScoreRelease):
    return Indicator.objects.filter(pk__in=[i["id"] for i in release.indicators])
