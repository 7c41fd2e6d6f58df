"""Small helpers the inspection services share."""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse

from ducha.problems.models import Category
from ducha.submissions.periods import today_cst

from ..models import InspectionRound


def today() -> datetime.date:
    """Today in China Standard Time, by the server's clock: deadlines end with the day there."""
    return today_cst()


def category_or_default(inspection_round: InspectionRound) -> Category:
    """What a finding or a reported hazard is filed under when nobody chose: a hazard sweep's
    under safety hazards, any other under "other"."""
    if inspection_round.is_hazard_sweep:
        category = Category.objects.filter(code="safety_hazard", is_active=True).first()
        if category is not None:
            return category
    return Category.objects.get(code="other")


def url_of(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the web app is not installed
        return ""
