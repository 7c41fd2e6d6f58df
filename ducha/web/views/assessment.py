"""Pages of a campaign's assessment: the indicator system and the monthly ranking."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.assessment import indicator_table, scoring, services
from ducha.assessment.links import cell_url, satisfaction_survey_id
from ducha.assessment.models import ManualScore
from ducha.audit.services import audit_record
from ducha.orgs import access
from ducha.web.forms import add_service_error
from ducha.web.forms_assessment import (
    FollowUpForm,
    IndicatorForm,
    IndicatorImportForm,
    ManualScoreForm,
    PeriodForm,
    ScoreImportForm,
)


def _campaign(user, campaign_id):
    campaign = access.get_campaign_for_user(user, campaign_id)
    if not access.may_see_assessment(user, campaign):
        raise PermissionDenied
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def indicator_list(request, campaign_id):
    user = request.user
    campaign = _campaign(user, campaign_id)
    can_manage = access.may_manage_campaign(user, campaign)
    form = IndicatorForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.indicator_create(actor=user, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The indicator was added."))
                return redirect("assessment-indicator-list", campaign.pk)
    indicators = list(campaign.indicators.select_related("responsible_unit"))
    return render(
        request,
        "web/assessment/indicator_list.html",
        {
            "campaign": campaign,
            "indicators": indicators,
            "weight_total": sum(i.weight for i in indicators),
            "form": form,
            "import_form": IndicatorImportForm() if can_manage else None,
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def indicator_export(request, campaign_id):
    """The indicator system as .xlsx, in the layout the import reads back."""
    user = request.user
    campaign = _campaign(user, campaign_id)
    content = indicator_table.indicators_xlsx(campaign)
    audit_record(
        actor=user,
        action="export",
        obj=campaign,
        unit_path=campaign.unit.path,
        after={"export": "indicators", "count": campaign.indicators.count()},
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = _("indicators-%(id)s.xlsx") % {"id": campaign.pk}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def indicator_import(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = IndicatorImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = indicator_table.indicators_import(
                actor=user, campaign=campaign, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s indicators were imported.") % {"n": count})
    else:
        messages.error(request, _("Choose an .xlsx file to import."))
    return redirect("assessment-indicator-list", campaign.pk)


@login_required
def score_history(request, campaign_id):
    """The hand scores behind the ranking, with their evidence, who gave them and when;
    filtered by month, unit and indicator from a ranking cell's link."""
    user = request.user
    campaign = _campaign(user, campaign_id)
    scores = (
        ManualScore.objects.filter(indicator__campaign=campaign)
        .select_related("indicator", "unit", "actor")
        .order_by("-period", "indicator__order", "unit__path")
    )
    filters = {}
    period = request.GET.get("period", "")
    if period:
        try:
            scoring.check_period(period)
        except ValidationError:
            period = ""
        else:
            scores = scores.filter(period=period)
            filters["period"] = period
    for name in ("unit", "indicator"):
        value = request.GET.get(name, "")
        if value.isdigit():
            scores = scores.filter(**{f"{name}_id": int(value)})
            filters[name] = int(value)
    return render(
        request,
        "web/assessment/score_history.html",
        {
            "campaign": campaign,
            "scores": scores[:500],
            "period": period,
        },
    )


TREND_MONTHS = 6
TREND_CHART_UNITS = 12


def _heat_map(result) -> dict:
    """Units × indicators, each cell the points earned out of 100 (an overdue rate of 20%
    earns 80), so that one colour scale reads "better" the same way for every indicator; a
    missing value has no cell."""
    cells = []
    for y, row in enumerate(result.rows):
        for x, cell in enumerate(row.cells):
            if cell.value is None:
                continue
            earned = 100 - cell.value if cell.indicator.lower_is_better else cell.value
            cells.append([x, y, float(earned), float(cell.value)])
    return {
        "indicators": [i.content for i in result.indicators],
        "units": [row.unit.name for row in result.rows],
        "cells": cells,
        "label": _("Points earned of 100"),
        "value_label": _("Value"),
    }


@login_required
def ranking(request, campaign_id):
    user = request.user
    campaign = _campaign(user, campaign_id)
    period_form = PeriodForm(request.GET or {"period": scoring.default_period(campaign)})
    result, error = None, None
    if period_form.is_valid():
        try:
            result = scoring.campaign_ranking(
                campaign=campaign, period=period_form.cleaned_data["period"], user=user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    score_form = None
    if result is not None and access.may_manage_campaign(user, campaign):
        score_form = ManualScoreForm(
            campaign=campaign,
            units=[row.unit for row in result.rows],
            initial={"period": result.period},
        )
    chart, follow_up_form, import_form = None, None, None
    if score_form is not None:
        import_form = ScoreImportForm(campaign=campaign, initial={"period": result.period})
        follow_up_form = FollowUpForm(
            units=[row.unit for row in result.rows if row.bottom or row.failed],
            initial={"period": result.period},
        )
    if result is not None:
        months = scoring.previous_periods(result.period, TREND_MONTHS)
        trend = scoring.score_trend(
            campaign=campaign,
            period=result.period,
            user=user,
            months=TREND_MONTHS,
            current=result,
        )
        follow_ups = defaultdict(list)
        for follow_up in campaign.assessment_follow_ups.filter(period=result.period):
            follow_ups[follow_up.unit_id].append(follow_up)
        survey_id = satisfaction_survey_id(campaign.pk)
        for row in result.rows:
            row.trend = trend.get(row.unit.pk, [])
            row.follow_ups = follow_ups.get(row.unit.pk, [])
            for cell in row.cells:
                cell.url = cell_url(
                    campaign_id=campaign.pk,
                    unit_id=row.unit.pk,
                    indicator=cell.indicator,
                    period=result.period,
                    survey_id=survey_id,
                )
        chart = {
            "names": [row.unit.name for row in result.rows],
            "scores": [None if row.score is None else float(row.score) for row in result.rows],
            "failed": [row.failed for row in result.rows],
            "label": _("Score"),
            "no_data": _("No unit has data in this month."),
            "heat": _heat_map(result),
            "trend": {
                "months": months,
                # The chart draws the first units only; the table has every unit's trend.
                "series": [
                    {
                        "name": row.unit.name,
                        "data": [None if v is None else float(v) for _m, v in row.trend],
                    }
                    for row in result.rows[:TREND_CHART_UNITS]
                ],
            },
        }
    return render(
        request,
        "web/assessment/ranking.html",
        {
            "campaign": campaign,
            "period_form": period_form,
            "ranking": result,
            "error": error,
            "score_form": score_form,
            "chart_data": chart,
            "follow_up_form": follow_up_form,
            "import_form": import_form,
        },
    )


@login_required
@require_POST
def score_set(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    units = scoring.assessed_units(campaign)
    form = ManualScoreForm(request.POST, campaign=campaign, units=units)
    if form.is_valid():
        try:
            services.manual_score_set(actor=user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The score was saved."))
        period = form.cleaned_data["period"]
    else:
        messages.error(request, _("The score was not saved: check the fields."))
        period = request.POST.get("period", "")
    url = redirect("assessment-ranking", campaign.pk).url
    return redirect(f"{url}?period={period}")


@login_required
@require_POST
def follow_up_create(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = FollowUpForm(request.POST, units=scoring.assessed_units(campaign))
    if form.is_valid():
        try:
            services.follow_up_record(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up was recorded."))
    else:
        messages.error(request, _("The follow-up was not recorded: check the fields."))
    url = redirect("assessment-ranking", campaign.pk).url
    return redirect(f"{url}?period={form.cleaned_data.get('period', '')}")


@login_required
@require_POST
def score_import(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = ScoreImportForm(request.POST, request.FILES, campaign=campaign)
    if form.is_valid():
        try:
            count = services.manual_scores_import(actor=user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s scores were imported.") % {"n": count})
    else:
        messages.error(request, _("The table was not imported: check the fields."))
    url = redirect("assessment-ranking", campaign.pk).url
    return redirect(f"{url}?period={form.cleaned_data.get('period', '')}")
