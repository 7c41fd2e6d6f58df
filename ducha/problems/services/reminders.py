"""Overdue rectification is reminded and escalated like an overdue submission (DOMAIN §7), through
notify's notices, which are stored once per user and key: a repeated run sends nothing twice.

For every item being rectified:

- warning:    from the yellow day (deadline − warn_days) to the deadline, once, to those who
              run the unit's problems;
- overdue:    from the day after the deadline, once, to them and the responsible person;
- escalation: from ESCALATE_DAYS_AFTER days after the deadline, once, to the level above and
              the unit head; the problem's history records it.

Each key names the deadline, so a granted extension makes the next stage due again for the
new date. A constant number of queries, whatever the number of items.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ducha.notify.models import Notification
from ducha.notify.services import Notice, notices_send

from .. import selectors
from ..models import Event, Problem, Rectification
from .common import problem_url
from .common import today as today_local

ESCALATE_DAYS_AFTER = 3
Kind = Notification.Kind


def rectification_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send the rectification notices due on `today`; returns how many of each kind."""
    day = today or today_local()
    with translation.override(settings.LANGUAGE_CODE):
        items = list(
            Rectification.objects.filter(
                problem__status=Problem.Status.RECTIFYING, warn_from__lte=day
            ).select_related("problem", "problem__unit", "responsible_person")
        )
        people = selectors.people_of({r.problem.unit for r in items})
        notices: list[Notice] = []
        escalations: list[Rectification] = []
        for item in items:
            problem, deadline = item.problem, item.deadline
            handlers = selectors.handler_ids(people, problem.unit)
            url = problem_url(problem)
            if day <= deadline:
                stage, kind, users = "warn", Kind.REMINDER, handlers
                title = _("Rectification due on %(date)s: %(title)s")
            elif day < deadline + datetime.timedelta(days=ESCALATE_DAYS_AFTER):
                stage, kind = "overdue", Kind.OVERDUE
                users = [*handlers, item.responsible_person.user_id]
                title = _("Rectification overdue since %(date)s: %(title)s")
            else:
                stage, kind = "escalation", Kind.ESCALATION
                users = [
                    *selectors.verifier_ids(people, problem.unit),
                    *selectors.head_ids(people, problem.unit),
                ]
                title = _("Escalated: rectification overdue since %(date)s: %(title)s")
                escalations.append(item)
            text = title % {"date": deadline.isoformat(), "title": problem.title}
            key = f"problems:{stage}:{item.pk}:{deadline.isoformat()}"
            notices += [
                Notice(user_id=uid, kind=kind, title=text, key=key, body=problem.unit.name, url=url)
                for uid in set(users)
                if uid
            ]
        with transaction.atomic():
            created = notices_send(notices)
            recorded = _record_escalations(escalations)
    counts = Counter(n.kind for n in created)
    result = {str(k): counts.get(k, 0) for k in (Kind.REMINDER, Kind.OVERDUE, Kind.ESCALATION)}
    result["escalated"] = recorded
    return result


def _record_escalations(items: list[Rectification]) -> int:
    """One history row per item and deadline, whatever the number of runs."""
    if not items:
        return 0
    notes = {item.problem_id: item.deadline.isoformat() for item in items}
    done = set(
        Event.objects.filter(
            problem_id__in=list(notes), kind=Event.Kind.OVERDUE_ESCALATED
        ).values_list("problem_id", "note")
    )
    now = timezone.now()
    fresh = [
        Event(problem_id=pid, kind=Event.Kind.OVERDUE_ESCALATED, at=now, note=note)
        for pid, note in notes.items()
        if (pid, note) not in done
    ]
    Event.objects.bulk_create(fresh)
    return len(fresh)
