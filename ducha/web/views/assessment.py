"""Pages of a campaign's assessment: the indicator system and the monthly ranking."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.assessment import scoring, services
from ducha.orgs import access
from ducha.web.forms import add_service_error
from ducha.web.forms_assessment import (
    FollowUpForm,
    IndicatorForm,
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
        },
    )


@login_required
def ranking(request, campaign_id):
    user = request.user
    campaign = _campaign(user, campaign_id)
    period_form = PeriodForm(request.GET or {"period": timezone.localdate().strftime("%Y-%m")})
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
        trend = scoring.score_trend(campaign=campaign, period=result.period, user=user)
        follow_ups = defaultdict(list)
        for follow_up in campaign.assessment_follow_ups.filter(period=result.period):
            follow_ups[follow_up.unit_id].append(follow_up)
        for row in result.rows:
            row.trend = trend.get(row.unit.pk, [])
            row.follow_ups = follow_ups.get(row.unit.pk, [])
        chart = {
            "names": [row.unit.name for row in result.rows],
            "scores": [None if row.score is None else float(row.score) for row in result.rows],
            "failed": [row.failed for row in result.rows],
            "label": _("Score"),
            "no_data": _("No unit has data in this month."),
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
