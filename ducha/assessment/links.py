"""Where each number of a ranking comes from: the page that lists the records behind it.
One place for the live ranking and for the published releases (ducha/web/views/appeals.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from .models import Indicator


def satisfaction_survey_id(campaign_id: int) -> int | None:
    from ducha.surveys.models import Survey

    return (
        Survey.objects.filter(campaign_id=campaign_id, kind=Survey.Kind.SATISFACTION)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def source_url(*, source: str, campaign_id: int, unit_id: int, period: str, survey_id=None) -> str:
    """The page of Ducha's data a computed value is counted from, filtered to the unit where
    the page can filter; "" for a source without such a page."""
    S = Indicator.Source
    here = urlencode({"campaign": campaign_id, "unit": unit_id})
    if source == S.TIMELINESS:
        return reverse("dashboard-campaign", args=[campaign_id])
    if source in (S.CLOSURE_RATE, S.OVERDUE_RATE):
        return f"{reverse('problems-dashboard')}?{here}"
    if source == S.QUOTA_ATTAINMENT:
        return f"{reverse('visits-quota-dashboard')}?{here}"
    if source == S.SATISFACTION:
        if survey_id is None:
            return ""
        query = urlencode({"unit": unit_id, "period": period})
        return f"{reverse('surveys-survey-results', args=[survey_id])}?{query}"
    if source == S.INSPECTION_FINDINGS:
        return reverse("inspections-round-list", args=[campaign_id])
    return ""


def cell_url(
    *, campaign_id: int, unit_id: int, indicator: Indicator, period: str, survey_id=None
) -> str:
    """The page behind one unit's value on one indicator in a month of the live ranking: a
    hand score's evidence, or the records a computed value is counted from."""
    if indicator.is_computed:
        return source_url(
            source=indicator.computed_source,
            campaign_id=campaign_id,
            unit_id=unit_id,
            period=period,
            survey_id=survey_id,
        )
    query = urlencode({"period": period, "unit": unit_id, "indicator": indicator.pk})
    return f"{reverse('assessment-score-history', args=[campaign_id])}?{query}"
