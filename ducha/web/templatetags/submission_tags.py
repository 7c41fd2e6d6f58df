"""Data for the submissions panel of the campaign page (web/submissions/_campaign_panel.html)."""

from collections import Counter

from django import template

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.submissions import selectors

register = template.Library()

# Older due dates still owed shown per requirement and unit; a year of missed weekly briefs
# is summed up in one line instead.
OLDER_SHOWN = 3


@register.simple_tag
def submission_panel(campaign, user) -> dict:
    """For those who see the issuing unit, the requirements with received/expected counts;
    for a submitting unit, its own to-do with statuses."""
    sees_all = access.has_cap(user, Cap.VIEW, campaign.unit)
    todo, hidden = _todo_rows(selectors.todo_for_unit(user, campaign))
    return {
        "progress": selectors.requirement_progress(campaign) if sees_all else None,
        "todo": todo,
        "hidden": hidden,
        "open": campaign.is_open_for_submissions,
        "can_review": access.may_review(user, campaign),
        "can_manage": access.may_manage_campaign(user, campaign),
    }


def _todo_rows(items: list[selectors.TodoItem]):
    """The latest due date of each requirement and unit, and the older ones still owed (the
    most recent few); handed-in older ones are history, shown on their own pages."""
    latest: dict[tuple[int, int], object] = {}
    for item in items:
        key = (item.requirement.pk, item.unit.pk)
        latest[key] = max(latest.get(key, item.due_date), item.due_date)
    shown, older, hidden = [], Counter(), []
    hidden_count: Counter = Counter()
    for item in reversed(items):
        key = (item.requirement.pk, item.unit.pk)
        if item.due_date == latest[key]:
            shown.append(item)
        elif item.may_send and older[key] < OLDER_SHOWN:
            older[key] += 1
            shown.append(item)
        elif item.may_send:
            hidden_count[key] += 1
    for item in items:
        key = (item.requirement.pk, item.unit.pk)
        if hidden_count.get(key):
            hidden.append({"item": item, "count": hidden_count.pop(key)})
    return shown[::-1], hidden
